// Package resources embeds PolicyWatch's data files and artwork: the built-in
// platform catalog, the classification rules, the app icon and the report font. Nothing is read
// from the working directory at run time.
package resources

import _ "embed"

// Catalog is catalog.json: the built-in platforms and their documents' URLs.
//
//go:embed catalog.json
var Catalog []byte

// IconPNG is the app icon, 512×512.
//
//go:embed icon.png
var IconPNG []byte

// Rules is rules.json: the change categories, their signal patterns,
// provisions, exposure rules and checklist templates.
//
//go:embed rules.json
var Rules []byte

// WordModel is wordmodel.json: the analysis's learned check on the rules'
// readings, trained from the clause set's tune halves by
// `go run ./bench/wordmodel`.
//
//go:embed wordmodel.json
var WordModel []byte

// The report font: Noto Sans in four styles, under the SIL Open Font
// License 1.1 (fonts/OFL.txt, shipped beside the files). The PDF report
// embeds it; nothing else in PolicyWatch depends on it.
var (
	//go:embed fonts/NotoSans-Regular.ttf
	FontRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	FontBold []byte
	//go:embed fonts/NotoSans-Italic.ttf
	FontItalic []byte
	//go:embed fonts/NotoSans-BoldItalic.ttf
	FontBoldItalic []byte
	// FontLicence is the fonts' licence text.
	//
	//go:embed fonts/OFL.txt
	FontLicence []byte
)
