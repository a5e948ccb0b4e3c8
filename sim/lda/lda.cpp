// sim/lda/lda.cpp - LMTP service, quota, and filing into the mailbox store.
#include "sim/lda/lda.hpp"

#include <algorithm>

#include "sim/message/message.hpp"
#include "sim/message/text.hpp"
#include "sim/smtp/server_session.hpp"

namespace sim::lda {
namespace {

// The canonical form: a local part that needs quotes keeps them
// ("john doe"@example.org), as the scenario writes the mailbox.
std::string address_of(const smtp::mailbox& box) { return box.text(); }

// The LDA's answers to the LMTP server state machine.
class lmtp_hooks_impl final : public smtp::server_hooks {
 public:
  explicit lmtp_hooks_impl(lda& agent) : lda_(agent) {}

  // Every decision but the message's is made at once (RFC 2033 section 4.1:
  // LHLO, MAIL and RCPT as in SMTP; only RCPT consults the mailboxes).
  smtp::quick_answer answer_now(const smtp::session_info&, const smtp::envelope&,
                                const smtp::decision_request& req) override {
    switch (req.what) {
      case smtp::ask::connect:
      case smtp::ask::helo:
      case smtp::ask::mail: return {true, std::nullopt};
      case smtp::ask::rcpt: return {true, rcpt(*req.rcpt)};
      case smtp::ask::auth: return {true, no_auth()};
      default: return {};
    }
  }
  asio::awaitable<std::optional<smtp::reply>> on_connect(const smtp::session_info&) override { co_return std::nullopt; }
  asio::awaitable<std::optional<smtp::reply>> on_helo(const smtp::session_info&, const std::string&) override {
    co_return std::nullopt;
  }
  asio::awaitable<std::optional<smtp::reply>> on_mail(const smtp::session_info&, const smtp::mail_command&) override {
    co_return std::nullopt;
  }
  asio::awaitable<std::optional<smtp::reply>> on_rcpt(const smtp::session_info&, const smtp::envelope&,
                                                      const smtp::rcpt_command& rcpt) override {
    co_return this->rcpt(rcpt);
  }
  asio::awaitable<std::vector<smtp::reply>> on_message(const smtp::session_info&, const smtp::envelope& env,
                                                       const std::string& content) override;
  asio::awaitable<std::optional<smtp::reply>> check_auth(const smtp::session_info&, const smtp::auth_credentials&) override {
    co_return no_auth();
  }

 private:
  std::optional<smtp::reply> rcpt(const smtp::rcpt_command& rcpt) {
    std::string mailbox = address_of(rcpt.forward_path);
    if (lda_.mailboxes().exists(mailbox)) return std::nullopt;
    reject(mailbox, "5.1.1", "no such mailbox");
    return smtp::reply(550, "5.1.1", "<" + mailbox + ">: User unknown");
  }
  static smtp::reply no_auth() { return smtp::reply(502, "5.5.1", "AUTH not available over LMTP"); }
  void reject(const std::string& mailbox, const std::string& status, const std::string& reason) {
    lda_.get_trace().emit(lda_.host(), "lda", "lda.reject", {{"mailbox", mailbox}, {"status", status}, {"reason", reason}});
  }
  lda& lda_;
};

// RFC 2033 section 4.2: one reply per accepted recipient, in RCPT order.
asio::awaitable<std::vector<smtp::reply>> lmtp_hooks_impl::on_message(const smtp::session_info&, const smtp::envelope& env,
                                                                 const std::string& content) {
  std::vector<smtp::reply> replies;
  std::string return_path = env.reverse_path ? env.reverse_path->text() : "";
  for (const auto& r : env.recipients) {
    std::string mailbox = address_of(r.forward_path);
    // The quota counts the message as filed: with the two fields file()
    // adds ("Return-Path: <" RP ">" CRLF "Delivered-To: " MAILBOX CRLF).
    std::size_t filed = content.size() + 33 + return_path.size() + mailbox.size();
    if (lda_.over_quota(mailbox, filed)) {
      reject(mailbox, "4.2.2", "mailbox full");
      replies.emplace_back(452, "4.2.2", "<" + mailbox + ">: Mailbox full");
      continue;
    }
    co_await lda_.file(mailbox, return_path, content, lda_.folder_for(mailbox, return_path, content));
    replies.emplace_back(250, "2.0.0", "<" + mailbox + "> Ok: delivered");
  }
  co_return replies;
}

}  // namespace

lda::lda(std::string host, mailbox_store& boxes, sim::clock& clk, sim::trace& tr)
    : host_(std::move(host)), boxes_(boxes), clock_(clk), trace_(tr) {}

void lda::set_lists(const std::string& mailbox, policy::access_list lists) {
  lists_[message::to_lower(mailbox)] = std::move(lists);
}

folder_choice lda::folder_for(const std::string& mailbox, const std::string& return_path,
                              const std::string& content) const {
  auto it = lists_.find(message::to_lower(mailbox));
  return choose_folder(content, return_path,
                       {read_junk_field_, it == lists_.end() ? nullptr : &it->second, read_reputation_field_});
}

bool lda::over_quota(const std::string& mailbox, std::size_t incoming) const {
  for (const auto& f : full_)
    if (message::iequals(f, mailbox)) return true;
  auto quota = boxes_.quota(mailbox);
  return quota && boxes_.used_bytes(mailbox) + incoming > *quota;
}

// Return-Path (RFC 5321 section 4.4) and Delivered-To (as Postfix's local
// and Dovecot add) go on top; the Received chain stays as it came.
asio::awaitable<std::string> lda::file(const std::string& mailbox, const std::string& return_path,
                                       const std::string& content, const std::string& folder) {
  co_return co_await file(mailbox, return_path, content, folder_choice{folder, "", false});
}

asio::awaitable<std::string> lda::file(const std::string& mailbox, const std::string& return_path,
                                       const std::string& content, const folder_choice& folder) {
  std::string path = "<" + return_path + ">";
  std::optional<std::string> message_id;
  if (trace_.has_sinks() || filed_) message_id = message::header_value(content, "Message-ID");
  std::size_t size = 0;
  std::string uid, recorded;
  if (!boxes_.keeps_bodies() && !listener_) {
    // Nobody will read this copy: only its size is filed.
    size = message::size_with_fields_on_top(content, {{"Return-Path", path}, {"Delivered-To", mailbox}});
    uid = co_await boxes_.deliver_counted(mailbox, size, folder.folder, clock_.wall_now());
  } else {
    std::string raw = message::with_fields_on_top(content, {{"Return-Path", path}, {"Delivered-To", mailbox}});
    size = raw.size();
    // Copied only for a listener (the run's outcome, when its expectations read mail).
    if (listener_) recorded = raw;
    uid = co_await boxes_.deliver(mailbox, std::move(raw), folder.folder, clock_.wall_now());
  }
  // `folder` when a rule chose it or it is not INBOX (mail with no rule
  // to read goes to INBOX, and its trace stays as before folders).
  std::optional<std::string> folder_field, reason_field;
  if (folder.by_rule || folder.folder != "INBOX") folder_field = folder.folder;
  if (!folder.reason.empty()) reason_field = folder.reason;
  trace_.emit(host_, "lda", "lda.deliver",
              {{"mailbox", mailbox}, {"folder", folder_field}, {"reason", reason_field}, {"size", size},
               {"return_path", return_path}, {"uid", uid}, {"message_id", message_id}});
  if (listener_) listener_({host_, mailbox, std::move(recorded), folder.folder});
  if (filed_) filed_({mailbox, folder.folder, message_id});
  co_return uid;
}

smtp::server_session_options lda::lmtp_options() const {
  smtp::server_session_options opts;
  opts.protocol.host_name = host_;
  opts.protocol.lmtp = true;
  opts.protocol.max_message_size = 0;
  opts.host = host_;
  opts.agent = "lda";
  return opts;
}

std::unique_ptr<smtp::server_hooks> lda::lmtp_hooks() { return std::make_unique<lmtp_hooks_impl>(*this); }

asio::awaitable<void> lda::serve(std::shared_ptr<net::stream> conn) {
  lmtp_hooks_impl hooks(*this);
  net::connection_info info{conn->session(), conn->remote(), conn->local()};
  co_await smtp::run_server_session(conn, info, clock_, trace_, hooks, lmtp_options());
}

}  // namespace sim::lda
