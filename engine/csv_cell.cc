#include "engine/csv_cell.h"

namespace actiond::engine {

bool CsvCellNeedsNeutralising(std::string_view cell) noexcept {
  if (cell.empty()) return false;
  switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

std::string NeutraliseCsvCell(std::string_view cell) {
  std::string out;
  out.reserve(cell.size() + 1);
  if (CsvCellNeedsNeutralising(cell)) out.push_back('\'');
  out.append(cell);
  return out;
}

}  // namespace actiond::engine
