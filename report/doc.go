// Package report turns the PolicyWatch archive into audit-ready reports.
//
// Build reads the archive through the tracker Service into one format-neutral
// Model (the changes of a period with their full analysis records, the
// due-diligence checklist, proof of monitoring, the evidence cited and the
// audit log); WritePDF and WriteXLSX render that same model. Both writers
// write atomically: a temporary file in the target folder, renamed over the
// target only when complete, so a failed or cancelled export leaves no file.
//
// Every gofpdf call lives in the pdf*.go files, so moving to
// codeberg.org/go-pdf/fpdf is a change of one import path. The PDF embeds
// Fyne's Noto Sans; characters that font lacks (arrows, CJK…) are replaced by
// ASCII stand-ins or "?" in the PDF only, while the XLSX keeps exact text.
//
// With Options.Deterministic the same archive and filter give byte-identical
// PDFs and XLSX files with identical cell contents: dates printed in the
// report come from the data, and document creation dates are fixed.
package report
