// Package resources embeds PolicyWatch's data files and artwork: the built-in
// platform catalog, the classification rules and the app icon. Nothing is read
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
