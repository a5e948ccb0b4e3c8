// Writes each profile's DSNs (failure after a reply, failure after a refused
// connection, delay warning, success delivered and relayed) into the folder given, one file each, for
// check_dsn_email.py to read with Python's email package.
#include <fstream>
#include <iostream>
#include <string>

#include "tests/sim/mta/profiles/dsn_samples.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: mta_dsn_samples FOLDER\n";
    return 2;
  }
  const std::string folder = argv[1];
  for (auto name : sim::mta::profile_names()) {
    const sim::mta::profile& p = *sim::mta::find_profile(name);
    const struct { const char* kind; bool delayed, refused; } cases[] = {
        {"failed-reply", false, false}, {"failed-refused", false, true}, {"delayed", true, false}};
    for (const char* action : {"delivered", "relayed"}) {
      std::ofstream out(folder + "/" + std::string(name) + "-success-" + action + ".eml", std::ios::binary);
      out << p.compose_dsn(test::sample_success_input(p, action));
    }
    for (const auto& c : cases) {
      std::ofstream out(folder + "/" + std::string(name) + "-" + c.kind + ".eml", std::ios::binary);
      out << p.compose_dsn(test::sample_dsn_input(p, c.delayed, c.refused));
      if (!out) {
        std::cerr << "cannot write into " << folder << "\n";
        return 1;
      }
    }
  }
  return 0;
}
