// The mailbox store's folders (imap::mail_store over the durable store):
// deliveries into a named folder, POP3 seeing INBOX only, flags, UIDs and
// UIDVALIDITY that survive a restart, renames keeping the messages, the
// quota over every folder, watchers told of deliveries, flush().
#include <catch2/catch.hpp>

#include "sim/lda/mailbox_meta.hpp"
#include "tests/sim/lda/lda_world.hpp"

using namespace sim::lda;
using namespace sim::lda::test;
using sim::imap::store_status;

namespace {

const std::string bob = "bob@example.org";
const sim::wall_time noon{std::chrono::hours(24 * 20000 + 12)};

std::string file_into(lda_world& w, const std::string& folder, std::string raw) {
  auto uid = std::make_shared<std::string>();
  w.tasks.spawn([](mailbox_store& b, std::string f, std::string r, std::shared_ptr<std::string> out) -> asio::awaitable<void> {
    *out = co_await b.deliver(bob, std::move(r), std::move(f), noon);
  }(w.boxes, folder, std::move(raw), uid));
  w.run();
  return *uid;
}

void restart(lda_world& w) {
  w.crash();
  w.recover();
  w.run();
}

std::vector<std::uint32_t> uids(const mailbox_store& b, const std::string& folder) {
  std::vector<std::uint32_t> out;
  for (const auto& m : b.messages(bob, folder)) out.push_back(m.uid);
  return out;
}

struct counter final : sim::imap::change_listener {
  std::vector<std::string> told;
  void folder_changed(std::string_view folder) override { told.emplace_back(folder); }
};

}  // namespace

TEST_CASE("mailbox folders: INBOX, Junk, Sent and Trash exist, delivery into Junk is not seen by POP3") {
  lda_world w;
  w.boxes.add_mailbox(bob, {});
  auto names = w.boxes.folders(bob);
  REQUIRE(names.size() == 4);
  CHECK(names[0].name == "INBOX");
  CHECK(names[1].name == "Junk");
  CHECK(names[1].use == sim::imap::special_use::junk);
  auto listener = std::make_shared<counter>();
  w.boxes.watch(bob, listener);
  CHECK(file_into(w, "Junk", "spam\r\n") == "00000001");
  CHECK(file_into(w, "INBOX", "ham\r\n") == "00000001");  // UIDs are per folder
  CHECK(listener->told == std::vector<std::string>{"Junk", "INBOX"});
  auto pop = w.boxes.open(bob);
  REQUIRE(pop.size() == 1);
  CHECK(pop[0].content == "ham\r\n");
  CHECK(w.boxes.folder_messages(bob, "Junk").at(0).raw == "spam\r\n");
  CHECK(w.boxes.folder_messages(bob, "Junk").at(0).internal_date == noon);
  CHECK(w.boxes.used_bytes(bob) == 11);
  auto refused = std::make_shared<bool>(false);
  w.tasks.spawn([](mailbox_store& b, std::shared_ptr<bool> out) -> asio::awaitable<void> {
    try {
      co_await b.deliver(bob, "x\r\n", "Nope", noon);
    } catch (const sim::storage::store_error&) {
      *out = true;
    }
  }(w.boxes, refused));
  w.run();
  CHECK(*refused);  // no such folder: an error, not a silent loss
}

TEST_CASE("mailbox folders: folders, flags, UIDs, UIDVALIDITY, dates and subscriptions survive a restart") {
  lda_world w;
  w.boxes.add_mailbox(bob, {});
  file_into(w, "INBOX", "one\r\n");
  file_into(w, "INBOX", "two\r\n");
  REQUIRE(w.boxes.create_folder(bob, "Work/2026") == store_status::ok);
  REQUIRE(w.boxes.subscribe(bob, "Work/2026") == store_status::ok);
  REQUIRE(w.boxes.set_flags(bob, "INBOX", {{1, {"\\Seen", "$Work"}}}) == store_status::ok);
  auto moved = w.boxes.move(bob, "INBOX", {2}, "Work/2026");
  REQUIRE(moved.status == store_status::ok);
  REQUIRE(w.boxes.rename_folder(bob, "Work", "Jobs") == store_status::ok);
  auto before = *w.boxes.status(bob, "Jobs/2026");
  w.run();
  restart(w);
  CHECK(uids(w.boxes, "INBOX") == std::vector<std::uint32_t>{1});
  CHECK(w.boxes.messages(bob, "INBOX")[0].flags == sim::imap::flag_list{"\\Seen", "$Work"});
  CHECK(w.boxes.messages(bob, "INBOX")[0].internal_date == noon);
  REQUIRE(w.boxes.has_folder(bob, "Jobs/2026"));
  CHECK_FALSE(w.boxes.has_folder(bob, "Work/2026"));
  CHECK(w.boxes.content(bob, "Jobs/2026", 1) == std::optional<std::string>("two\r\n"));
  auto after = *w.boxes.status(bob, "Jobs/2026");
  CHECK(after.uidvalidity == before.uidvalidity);
  CHECK(after.uidnext == 2);
  CHECK(w.boxes.status(bob, "INBOX")->uidnext == 3);  // UID 2 is never handed out again
  auto subs = w.boxes.subscriptions(bob);
  CHECK(std::find(subs.begin(), subs.end(), "Work/2026") != subs.end());  // a name, kept through the rename
  // A new folder gets a UIDVALIDITY above every earlier one.
  REQUIRE(w.boxes.create_folder(bob, "Later") == store_status::ok);
  CHECK(w.boxes.status(bob, "Later")->uidvalidity > after.uidvalidity);
}

TEST_CASE("mailbox folders: an IMAP expunge in INBOX is what POP3 sees, and its UID is not reused after a restart") {
  lda_world w;
  w.boxes.add_mailbox(bob, {});
  file_into(w, "INBOX", "one\r\n");
  file_into(w, "INBOX", "two\r\n");
  REQUIRE(w.boxes.expunge(bob, "INBOX", {2}) == store_status::ok);
  CHECK(w.boxes.open(bob).size() == 1);
  w.run();
  restart(w);
  CHECK(file_into(w, "INBOX", "three\r\n") == "00000003");
  CHECK(w.boxes.open(bob).back().uid == "00000003");
}

TEST_CASE("mailbox folders: without bodies every folder keeps sizes only, counted by the quota and a restart") {
  lda_world w;
  w.boxes.keep_bodies(false);
  w.boxes.add_mailbox(bob, {std::nullopt, 20, true});
  CHECK(file_into(w, "Junk", "spam\r\n") == "00000001");
  CHECK(file_into(w, "INBOX", "ham\r\n") == "00000001");
  CHECK(w.boxes.folder_messages(bob, "Junk").at(0).raw.empty());
  CHECK(w.boxes.messages(bob, "Junk").at(0).size == 6);
  CHECK(w.boxes.used_bytes(bob) == 11);
  CHECK(w.boxes.append(bob, "INBOX", "0123456789\r\n", {}, noon).status == store_status::over_quota);
  w.run();
  restart(w);
  CHECK(w.boxes.used_bytes(bob) == 11);  // from the sizes the store kept
  CHECK(w.boxes.folder_messages(bob, "Junk").at(0).size == 6);
  REQUIRE(w.boxes.expunge(bob, "Junk", {1}) == store_status::ok);
  CHECK(w.boxes.used_bytes(bob) == 5);
  REQUIRE(w.boxes.delete_folder(bob, "Trash") == store_status::ok);
  CHECK(w.boxes.used_bytes(bob) == 5);
}

TEST_CASE("mailbox folders: the quota counts every folder, DELETE removes the files, INBOX cannot go") {
  lda_world w;
  w.boxes.add_mailbox(bob, {std::nullopt, 12, true});
  file_into(w, "Junk", "0123456789\r\n");
  auto out = w.boxes.append(bob, "INBOX", "x\r\n", {}, noon);
  CHECK(out.status == store_status::over_quota);
  CHECK(w.boxes.delete_folder(bob, "INBOX") == store_status::cannot);
  REQUIRE(w.boxes.delete_folder(bob, "Junk") == store_status::ok);
  w.run();
  CHECK(w.boxes.used_bytes(bob) == 0);
  restart(w);
  CHECK_FALSE(w.boxes.has_folder(bob, "Junk"));
  CHECK(w.mail.durable_count() == 1);  // only the record is left
}

TEST_CASE("mailbox folders: flush() returns once the background writes are durable") {
  lda_world w;
  w.boxes.add_mailbox(bob, {});
  REQUIRE(w.boxes.append(bob, "Sent", "hi\r\n", {"\\Seen"}, noon).status == store_status::ok);
  auto durable_then = std::make_shared<std::size_t>(0);
  w.tasks.spawn([](lda_world& lw, std::shared_ptr<std::size_t> out) -> asio::awaitable<void> {
    co_await lw.boxes.flush();
    *out = lw.mail.durable_count();
  }(w, durable_then));
  w.run();
  CHECK(*durable_then == 2);  // the record and the message
}

TEST_CASE("mailbox folders: a record reads back as written, a damaged one is refused") {
  mailbox_store::mailbox_data box;
  box.address = bob;
  box.next_uidvalidity = 9;
  box.next_folder_id = 5;
  box.folders["INBOX"] = {0, sim::imap::special_use::none, 1, 4, 2, {}};
  box.folders["Caf\xC3\xA9 bar"] = {4, sim::imap::special_use::archive, 8, 2, 1, {}};
  box.folders["INBOX"].messages.push_back({"00000003", "x", 3, {"\\Seen"}, noon});
  box.subscriptions.insert("Caf\xC3\xA9 bar");
  auto text = format_meta(box);
  auto back = parse_meta(text);
  REQUIRE(back);
  CHECK(back->next_uidvalidity == 9);
  CHECK(back->next_folder_id == 5);
  REQUIRE(back->folders.count("Caf\xC3\xA9 bar") == 1);
  CHECK(back->folders["Caf\xC3\xA9 bar"].use == sim::imap::special_use::archive);
  CHECK(back->folders["INBOX"].uidnext == 4);
  CHECK(back->messages.at({0, 3}).flags == sim::imap::flag_list{"\\Seen"});
  CHECK(back->messages.at({0, 3}).internal_date == noon);
  CHECK(back->subscriptions.count("Caf\xC3\xA9 bar") == 1);
  for (std::size_t cut = 0; cut < text.size(); ++cut) {
    if (cut > 0 && text[cut - 1] == '\n' && text.find("folder 0") < cut) continue;  // a whole-line prefix may parse
    CHECK_FALSE(parse_meta(text.substr(0, cut)));
  }
  CHECK_FALSE(parse_meta("mailsim-mailbox 1\nfolder 0 1 1 1 99 INBOX\n"));
}

TEST_CASE("mailbox folders: a move or copy into Junk from another folder is reported as spam, nothing else is") {
  lda_world w;
  w.boxes.add_mailbox(bob, {});
  std::vector<std::string> reported;
  w.boxes.set_junk_report([&](const std::string& address, std::string_view raw) {
    reported.push_back(address + " " + std::string(raw));
  });
  file_into(w, "INBOX", "one\r\n");
  file_into(w, "INBOX", "two\r\n");
  file_into(w, "INBOX", "three\r\n");
  REQUIRE(w.boxes.move(bob, "INBOX", {1}, "Junk").status == store_status::ok);
  REQUIRE(reported == std::vector<std::string>{bob + " one\r\n"});
  REQUIRE(w.boxes.copy(bob, "INBOX", {2}, "Junk").status == store_status::ok);
  CHECK(reported.size() == 2);
  REQUIRE(w.boxes.move(bob, "INBOX", {3}, "Trash").status == store_status::ok);
  REQUIRE(w.boxes.copy(bob, "Junk", {1}, "Junk").status == store_status::ok);  // already there: no new report
  CHECK(reported.size() == 2);
  w.run();
}

TEST_CASE("mailbox folders: a large mailbox's deliveries go to the record's journal and survive a restart") {
  lda_world w;
  w.boxes.add_mailbox(bob, {});
  auto date = [](int i) { return noon + std::chrono::minutes(i); };
  auto deliver = [&](int from, int to) {
    w.tasks.spawn([](mailbox_store& b, int first, int last, auto when) -> asio::awaitable<void> {
      for (int i = first; i <= last; ++i) co_await b.deliver(bob, fmt::format("m{}\r\n", i), "INBOX", when(i));
    }(w.boxes, from, to, date));
    w.run();
  };
  // Past 16 messages a delivery is a journal entry, and the record is
  // rewritten (a new generation) once the journal has a quarter as many
  // entries as the mailbox has messages: message 38's entry (no flags) is
  // in slot 8 of generation 2.
  deliver(1, 40);
  // A flag change rewrites the record; the old entries stay in the store,
  // and message 38's must not count any more.
  REQUIRE(w.boxes.set_flags(bob, "INBOX", {{38, {"\\Seen"}}}) == store_status::ok);
  w.run();
  deliver(41, 43);  // the new generation's entries, in the old ones' first slots
  restart(w);
  const auto& list = w.boxes.messages(bob, "INBOX");
  REQUIRE(list.size() == 43);
  for (int i = 1; i <= 43; ++i) {
    INFO(i);
    CHECK(list[static_cast<std::size_t>(i - 1)].internal_date == date(i));
  }
  CHECK(list[37].flags == sim::imap::flag_list{"\\Seen"});
  CHECK(list[38].flags.empty());
  // After the restart the next delivery rewrites the record: entries are
  // never added to a generation this run did not start.
  deliver(44, 44);
  restart(w);
  REQUIRE(w.boxes.messages(bob, "INBOX").size() == 44);
  CHECK(w.boxes.messages(bob, "INBOX")[43].internal_date == date(44));
  CHECK(w.boxes.messages(bob, "INBOX")[37].flags == sim::imap::flag_list{"\\Seen"});
}

TEST_CASE("mailbox folders: a journal entry counts only whole and of the record's generation") {
  stored_message m{"00000007", "", 7, {"\\Seen"}, noon}, n{"00000008", "", 8, {}, noon};
  std::string lines;
  append_meta_message(lines, 0, m);
  append_meta_message(lines, 2, n);
  auto text = format_meta_log(3, lines);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(noon.time_since_epoch()).count();
  CHECK(text == fmt::format("log 3\nmessage 0 7 {} \\Seen\nmessage 2 8 {}\n", ms, ms));
  parsed_meta out;
  CHECK_FALSE(parse_meta_log(text, 2, out));
  CHECK(out.messages.empty());
  for (std::size_t cut = 0; cut < text.size(); ++cut) {
    if (cut > 0 && text[cut - 1] == '\n') continue;  // a whole-line prefix adds nothing, and may parse
    CHECK_FALSE(parse_meta_log(text.substr(0, cut), 3, out));
  }
  REQUIRE(parse_meta_log(text, 3, out));
  CHECK(out.messages.at({0, 7}).flags == sim::imap::flag_list{"\\Seen"});
  CHECK(out.messages.at({0, 7}).internal_date == noon);
  CHECK(out.messages.at({2, 8}).flags.empty());
}
