// sim/report/follow.cpp - one message's events out of the whole trace.
#include "sim/report/follow.hpp"

#include "sim/report/event_fields.hpp"

namespace sim::report {
namespace {

std::string queue_key(const std::string& host, const std::string& id) { return host + "\n" + id; }

}  // namespace

message_follower::message_follower(std::string id) {
  if (id.find('@') == std::string::npos) {
    tag_ = std::move(id);
  } else {
    if (!id.starts_with("<")) id = "<" + id + ">";
    message_ids_.insert(std::move(id));
  }
}

// Composing, submission, queueing and filing name the message itself.
bool message_follower::on_message(const std::string& name, const event& e) {
  std::string host = field_text(e, "host"), message_id = field_text(e, "message_id");
  bool ours = (!tag_.empty() && field_text(e, "message") == tag_) ||
              (!message_id.empty() && message_ids_.count(message_id)) ||
              (name == "mua.submit" && host == submitting_);  // the submission names no Message-ID
  if (!ours) return false;
  seen_ = true;
  if (!message_id.empty()) message_ids_.insert(message_id);
  if (name == "mua.compose") submitting_ = host;
  if (name == "mua.submit") ++claims_[host], submitting_.clear();
  if (name == "queue.enqueue") queues_.insert(queue_key(host, field_text(e, "queue_id")));
  return true;
}

// The events of a queue entry that holds the message (or one of its DSNs).
bool message_follower::on_queue(const std::string& name, const event& e) {
  std::string host = field_text(e, "host");
  if (name == "bounce.create") {
    if (!queues_.count(queue_key(host, field_text(e, "original_queue_id")))) return false;
    queues_.insert(queue_key(host, field_text(e, "queue_id")));
    return true;
  }
  if (!queues_.count(queue_key(host, field_text(e, "queue_id")))) return false;
  if (auto id = field_text(e, "message_id"); name == "queue.enqueue" && !id.empty()) message_ids_.insert(id);  // a DSN's own
  int& claims = claims_[host];
  if (name == "mx.select") ++claims;
  else if (name == "queue.attempt" && claims == 0) claims = 1;  // to the LDA: no route to choose
  else if (name == "queue.defer" || name == "queue.delivered" || name == "queue.bounce") claims = 0;
  return true;
}

bool message_follower::on_session(const std::string& session, const std::string& host) {
  if (sessions_.count(session)) return true;
  if (!known_sessions_.insert(session).second) return false;
  auto claim = claims_.find(host);
  if (claim == claims_.end() || claim->second <= 0) return false;
  --claim->second;
  sessions_.insert(session);
  return true;
}

bool message_follower::follows(const event& e) {
  std::string name = field_text(e, "event");
  if (on_message(name, e)) return true;
  if (!field_text(e, "queue_id").empty() && on_queue(name, e)) return true;
  std::string host = field_text(e, "host");
  if (auto session = field_text(e, "session"); !session.empty()) return on_session(session, host);
  if (name == "net.connect.refused" || name == "net.connect.timeout") {
    auto claim = claims_.find(host);
    return claim != claims_.end() && claim->second > 0;
  }
  return false;
}

}  // namespace sim::report
