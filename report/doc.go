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
// Noto Sans from resources/fonts (report imports no GUI package); characters
// that font lacks (arrows, circled letters, CJK…) are replaced by ASCII
// stand-ins, their compatibility decomposition or "?" in the PDF only, while
// the XLSX keeps exact text.
//
// Each change's analysis record is rendered from its view model
// (report/record), the one the app and `policywatch analyze` render too:
// the same sections in the same order, categories by name, each finding's
// sentence before and after with the changed words marked.
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
//   - A change's record prints, in full, the changed passages its findings
//     quote; every other substantive passage is printed in full in the
//     appendix "Other changed passages" (Options.Excerpts = ExcerptsFlagged,
//     the default), or with its change after the quoted ones (ExcerptsAll).
//     Cosmetic edits are counted, not printed. The XLSX carries every
//     finding with its sentence before and after as rich text.
//   - Link addresses in changed text are printed as numbered notes under
//     the passage; long addresses and e-mail addresses break after a slash
//     or dot (before an at-sign), never inside a word that fits a line.
//   - The database fingerprint is the SHA-256 over the sorted, newline-
//     terminated hex SHA-256s of the versions the report cites.
package report
