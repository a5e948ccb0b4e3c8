// sim/scenario/world_campaign.cpp - playing a `campaign` (sim/campaign/).
//
// The recipients are known before the hosts are built: a generated list is
// drawn from the run's seed ("campaign/<id>" stream), and each receiving
// host gets a mailbox for every generated recipient of its local domains
// but the unknown ones; the full ones get a quota of 0 octets, so they are
// at their quota from the start (452 4.2.2).  At the campaign's time the
// MUA submits its messages, `batch` recipients each, to the submission host
// (`via`, or the default of a `send`): paced by `rate`, or else one after
// the other.  Every message is tagged with the campaign id (`message` on
// mua.compose), which is how the analytics know them.
#include "sim/campaign/personalize.hpp"
#include "sim/campaign/plan.hpp"
#include "sim/scenario/world_agents.hpp"

namespace sim::scenario {

void world::generate_campaigns() {
  for (const campaign_action* c : spec_.campaigns()) {
    auto run = std::make_unique<campaign_run>();
    run->spec = c;
    if (c->generate) {
      auto stream = random_.stream("campaign/" + c->id);
      run->recipients = campaign::generate(*c->generate, [&stream](std::uint64_t n) { return stream.below(n); });
    } else {
      for (const auto& r : c->recipients)
        run->recipients.push_back({r.address, r.name.empty() ? campaign::name_from_address(r.address) : r.name,
                                   std::string(domain_of(r.address)), campaign::recipient_kind::mailbox});
    }
    run->messages = campaign::message_count(run->recipients.size(), c->batch);
    if (c->engagement) draw_engagement(*run);
    campaign_runs_.push_back(std::move(run));
  }
}

void world::add_campaign_mailboxes(const host& h, lda::mailbox_store& boxes) const {
  for (const auto& run : campaign_runs_) {
    if (!run->spec->generate) continue;  // listed recipients are the scenario's own mailboxes
    for (const auto& r : run->recipients) {
      // Unknown ones have no mailbox; traps have theirs already (host key `spamtraps`).
      if (r.kind == campaign::recipient_kind::unknown || r.kind == campaign::recipient_kind::trap ||
          !h.is_local_domain(r.domain))
        continue;
      std::optional<std::uint64_t> quota;
      if (r.kind == campaign::recipient_kind::full) quota = 0;
      boxes.add_mailbox(r.address, {std::nullopt, quota, true});
    }
  }
}

void world::perform_campaign(const campaign_action& c) {
  campaign_run* run = nullptr;
  for (auto& r : campaign_runs_)
    if (r->spec == &c) run = r.get();
  if (!run || run->messages == 0) return;
  run->start = clock_.now();
  if (c.pace) {
    submit_campaign_message(*run, 0);
    return;
  }
  // No rate: one message after the other, each when the last submission ended.
  tasks_.spawn([](world& w, campaign_run& r) -> asio::awaitable<void> {
    for (std::uint64_t k = 0; k < r.messages; ++k) co_await w.mua_.submit(w.campaign_submission(r, k));
  }(*this, *run));
}

// Message k of a paced campaign, then a timer for the next one.
void world::submit_campaign_message(campaign_run& run, std::uint64_t k) {
  run.timer.reset();
  tasks_.spawn([](mua::mua& agent, mua::submission sub) -> asio::awaitable<void> {
    co_await agent.submit(std::move(sub));
  }(mua_, campaign_submission(run, k)));
  if (k + 1 >= run.messages) return;
  run.timer = clock_.call_at(run.start + campaign::submit_offset(k + 1, run.spec->pace),
                             [this, &run, k] { submit_campaign_message(run, k + 1); });
}

mua::submission world::campaign_submission(const campaign_run& run, std::uint64_t k) {
  const campaign_action& c = *run.spec;
  auto [first, count] = campaign::batch_of(k, run.recipients.size(), c.batch);
  mua::submission s;
  s.message.from = c.from;
  for (std::uint64_t i = first; i < first + count; ++i)
    (i == first ? s.message.to : s.message.bcc).push_back(run.recipients[i].address);
  if (c.is_template) {
    const auto& r = run.recipients[first];
    campaign::fields f{r.name, r.address};
    s.message.subject = campaign::render(c.subject, f);
    s.message.body = campaign::render(c.body, f);
  } else {
    s.message.subject = c.subject;
    s.message.body = c.body;
  }
  s.tag = c.id;
  s.sequence = ++sent_;
  s.scenario = spec_.id;
  s.message.message_id = message::make_message_id(s.sequence, s.scenario, c.from);
  if (c.engagement) engaged_messages_[s.message.message_id] = &run;
  s.client_host = anonymous_host_;
  send_action as_send;
  as_send.from = c.from;
  as_send.via = c.via;
  auto [ip, port] = submission_target(as_send, s.via_host);
  s.via_ip = ip;
  s.port = port;
  if (port == mta::submission_port) s.password = password_of(c.from);
  if (options_.record_sent) {
    std::vector<std::string> rcpts = s.message.to;
    rcpts.insert(rcpts.end(), s.message.bcc.begin(), s.message.bcc.end());
    record_.sent.push_back({s.tag, c.from, std::move(rcpts), s.message.message_id, clock_.now()});
  }
  return s;
}

void world::stop_campaigns() {
  for (auto& run : campaign_runs_)
    if (run->timer) clock_.cancel(*run->timer), run->timer.reset();
}

}  // namespace sim::scenario
