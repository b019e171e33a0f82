// CSV cells a spreadsheet will not run as formulas (OWASP, "CSV Injection"): a cell that
// starts with '=', '+', '-', '@', a tab or a carriage return gets a leading single quote, so
// Excel, LibreOffice and Google Sheets show it as text. Used by every CSV export
// (docs/api.md, CSV). Quoting for the CSV syntax itself is the writer's business, after this.
#pragma once

#include <string>
#include <string_view>

namespace actiond::engine {

bool CsvCellNeedsNeutralising(std::string_view cell) noexcept;
// `cell`, with "'" in front when CsvCellNeedsNeutralising.
std::string NeutraliseCsvCell(std::string_view cell);

}  // namespace actiond::engine
