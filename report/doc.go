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
// PDFs and XLSX files: dates printed in the report come from the data,
// document creation dates are fixed, and the workbook's zip entries are
// written in a fixed order.
//
// Choices the design left open:
//   - Filter.Until is exclusive (the CLI's --until DATE adds a day so that the
//     named day is covered). The period bounds changes by detection time,
//     proof of monitoring by check time and the audit log by entry time.
//   - A jurisdiction filter keeps a change when at least one of its findings
//     is flagged there, and keeps the change's whole analysis record.
//   - Without Options.GeneratedAt, a deterministic report is dated at the end
//     of its period or at the newest event in its data, whichever is earlier.
//   - "How other tracked platforms handle this" is not part of the stored
//     analysis record, so the report derives it from the report itself: for
//     each category of a change, the latest change of up to four other
//     platforms in the report that engaged the same category.
//   - A change's excerpt shows its first six substantive passages, clipped;
//     the PDF says how many more the archive holds. The XLSX carries every
//     finding; the archive keeps the full texts.
//   - The database fingerprint is the SHA-256 over the sorted, newline-
//     terminated hex SHA-256s of the versions the report cites.
package report
