// sim/campaign/recipients_file.cpp - reading a list of recipients.
#include "sim/campaign/recipients_file.hpp"

#include <unordered_map>

namespace sim::campaign {

parsed_list parse_recipients(std::string_view text,
                             const std::function<std::optional<std::string>(std::string_view)>& canonical) {
  parsed_list out;
  if (text.size() > max_file_bytes) {
    out.problem = file_problem{0, "the file has " + std::to_string(text.size()) + " octets, over the limit of " +
                                      std::to_string(max_file_bytes) + " (64 MiB)"};
    return out;
  }
  std::unordered_map<std::string, std::size_t> seen;  // address -> line
  std::size_t line_no = 0;
  for (std::size_t from = 0; from < text.size();) {
    auto end = text.find('\n', from);
    auto line = text.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from);
    from = end == std::string_view::npos ? text.size() : end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    line.remove_prefix(first);
    auto gap = line.find_first_of(" \t");
    auto written = line.substr(0, gap);
    auto address = canonical(written);
    if (!address) {
      out.problem = file_problem{line_no, "\"" + std::string(written) + "\" is not an address (RFC 5321 local@domain)"};
      return out;
    }
    auto [it, fresh] = seen.emplace(*address, line_no);
    if (!fresh) {
      out.problem = file_problem{line_no, *address + " is already on line " + std::to_string(it->second)};
      return out;
    }
    if (out.recipients.size() >= campaign_spec::max_recipients) {
      out.problem = file_problem{line_no, "more than " + std::to_string(campaign_spec::max_recipients) + " recipients"};
      return out;
    }
    std::string name;
    if (gap != std::string_view::npos) {
      auto rest = line.substr(gap);
      auto start = rest.find_first_not_of(" \t");
      auto stop = rest.find_last_not_of(" \t");
      if (start != std::string_view::npos) name = std::string(rest.substr(start, stop - start + 1));
    }
    out.recipients.push_back({std::move(*address), std::move(name)});
  }
  return out;
}

}  // namespace sim::campaign
