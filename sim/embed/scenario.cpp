// sim/embed/scenario.cpp - mailsim::scenario: loading and running (the
// public API of include/mailsim/mailsim.hpp over sim::scenario's loader and
// runner; nothing of the run is done here that `mailsim run` does not do).
#include <stdexcept>
#include <utility>

#include "mailsim/mailsim.hpp"
#include "sim/embed/convert.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/runner.hpp"

namespace mailsim {
namespace {

namespace model = sim::scenario;

// An external host is a real program: only `mailsim world` can play it.
std::shared_ptr<const model::scenario> checked(model::scenario s, std::string_view file) {
  for (const auto& h : s.hosts)
    if (h.external)
      throw load_error(std::string(file) + ": /hosts/" + h.name +
                       "/external: an external host is a real program that the library cannot run; play this "
                       "scenario with `mailsim world SCENARIO -- COMMAND`");
  return std::make_shared<const model::scenario>(std::move(s));
}

// Every message an MTA still holds, MTA by MTA in host name order.
std::vector<queued_message> queues_of(const model::world& w) {
  std::vector<queued_message> out;
  for (const auto& h : w.spec().hosts)
    if (const sim::mta::queue* q = w.queue_of(h.name))
      for (const auto& id : q->ids())
        if (const sim::mta::queue_file* f = q->find(id)) out.push_back(embed::to_queued(h.name, *f));
  return out;
}

}  // namespace

std::string_view version() { return MAILSIM_VERSION; }

scenario::scenario(std::shared_ptr<const sim::scenario::scenario> s) : spec_(std::move(s)) {}

scenario scenario::from_file(const std::filesystem::path& path) {
  try {
    return scenario(checked(model::load(path), path.string()));
  } catch (const model::load_error& e) {
    throw load_error(e.what());
  }
}

scenario scenario::from_json(std::string_view json, std::string_view name, const std::filesystem::path& base_dir) {
  try {
    return scenario(checked(model::load_from_string(json, name, base_dir), name));
  } catch (const model::load_error& e) {
    throw load_error(e.what());
  }
}

const std::string& scenario::id() const { return spec_->id; }
std::uint64_t scenario::seed() const { return spec_->seed; }

run_result scenario::run(const run_options& options) const {
  run_result out;
  model::run_options opts;
  opts.seed = options.seed;
  if (options.until_ms && *options.until_ms < 0)
    throw std::invalid_argument("mailsim: run_options::until_ms is negative (" + std::to_string(*options.until_ms) + ")");
  if (options.until_ms) opts.until = sim::duration{*options.until_ms};
  opts.keep_mailboxes = true;
  if (options.record_trace || options.on_event)
    opts.on_event = [&out, &options](const sim::event_view& e) {
      event ev = embed::to_event(e);
      if (options.on_event) options.on_event(ev);
      if (options.record_trace) out.events_.push_back(std::move(ev));
    };
  opts.inspect = [&out](const model::world& w) { out.queued_ = queues_of(w); };
  model::run_result r = model::run_scenario(*spec_, opts);
  out.seed_ = r.seed;
  for (const auto& e : r.expectations) out.expectations_.push_back(embed::to_expectation(e));
  for (const auto& m : r.mailboxes) out.mailboxes_.push_back(embed::to_mailbox(m));
  return out;
}

}  // namespace mailsim
