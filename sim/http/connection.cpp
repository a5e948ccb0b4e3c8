// sim/http/connection.cpp - one HTTP/1.1 connection: requests, responses, trace streams.
#include "sim/http/connection.hpp"

#include <boost/beast/http.hpp>

#include "sim/core/timeout.hpp"
#include "sim/http/api.hpp"
#include "sim/http/server.hpp"
#include "sim/http/trace_feed.hpp"

namespace sim::http {

namespace bhttp = boost::beast::http;
using asio::as_tuple;
using asio::use_awaitable;

struct connection::incoming {
  request req;
  std::optional<problem> refused;  // answer it, then close
  bool gone = false;               // the client left (or went quiet): close without a word
  bool keep_alive = false;
};

namespace {

// Errors of Beast's parser are the client's fault (400 and the like);
// anything else (end of stream, reset, cancellation) means it went away.
bool is_parse_error(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

}  // namespace

connection::connection(server& owner, asio::ip::tcp::socket socket)
    : owner_(owner), socket_(std::move(socket)), wake_(socket_.get_executor(), 1) {}

asio::awaitable<void> connection::run() {
  while (co_await wait_for_request()) {
    incoming in;
    co_await read_request(in);
    if (in.gone) break;
    if (in.refused) {
      phase_ = phase::responding;
      co_await write_response(refusal(*in.refused), false, false, in.req.version);
      co_await linger();
      break;
    }
    phase_ = phase::responding;
    response r = owner_.api_.handle(in.req);
    bool head_only = in.req.method == "HEAD";
    if (r.follow && !head_only) {
      co_await stream_trace(r, *r.follow, in.req.version);
      break;
    }
    bool keep = in.keep_alive && !r.close && !stopping_;
    if (!co_await write_response(std::move(r), head_only, keep, in.req.version) || !keep) break;
  }
  close();
  owner_.forget(this);
}

asio::awaitable<void> connection::turn_away() {
  phase_ = phase::responding;
  response busy = refusal({503, "too many connections; try again"});
  busy.set("Retry-After", "1");
  co_await write_response(std::move(busy), false, false, 11);
  co_await linger();
  close();
}

// True when a request has begun: bytes already buffered (pipelining) or
// the first bytes of a new one within the idle timeout.  RFC 9112 section
// 9.5: an idle connection may be closed at any time, without a response.
asio::awaitable<bool> connection::wait_for_request() {
  if (stopping_) co_return false;
  if (buffer_.size() > 0) co_return true;
  phase_ = phase::idle;
  auto got = co_await with_timeout(owner_.clock_, owner_.options_.timers.idle,
                                   socket_.async_read_some(buffer_.prepare(4096), as_tuple(use_awaitable)));
  if (!got) co_return false;
  auto [ec, n] = *got;
  if (ec) co_return false;
  buffer_.commit(n);
  co_return !stopping_;
}

asio::awaitable<void> connection::read_request(incoming& in) {
  const limits& lim = owner_.options_.request_limits;
  const timeouts& t = owner_.options_.timers;
  phase_ = phase::reading;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(lim.head_bytes()));
  parser.body_limit(lim.body_bytes);
  auto head = co_await with_timeout(owner_.clock_, t.head,
                                    bhttp::async_read_header(socket_, buffer_, parser, as_tuple(use_awaitable)));
  if (!head) {
    in.refused = problem{408, "the request head did not arrive in time"};
    co_return;
  }
  if (auto [ec, n] = *head; ec) {
    auto bytes = buffer_.cdata();
    if (ec == bhttp::error::header_limit)
      in.refused = head_overflow({static_cast<const char*>(bytes.data()), bytes.size()}, lim);
    else if (ec == bhttp::error::body_limit)  // Beast compares Content-Length with the limit as it reads the head
      in.refused = problem{413, "the body is larger than " + std::to_string(lim.body_bytes) + " octets"};
    else if (is_parse_error(ec)) in.refused = bad_request("malformed request: " + ec.message());
    else in.gone = true;
    co_return;
  }
  const auto& h = parser.get();
  in.req.method = std::string(h.method_string());
  in.req.target = std::string(h.target());
  in.req.version = h.version();
  for (const auto& f : h) in.req.fields.push_back({std::string(f.name_string()), std::string(f.value())});
  auto verdict = check_head(in.req, lim);
  if (!verdict) {
    in.refused = verdict.error();
    co_return;
  }
  if (!parser.is_done()) {
    if (verdict.value().expect_continue && !co_await write_bytes("HTTP/1.1 100 Continue\r\n\r\n", false)) {
      in.gone = true;
      co_return;
    }
    auto body = co_await with_timeout(owner_.clock_, t.body, bhttp::async_read(socket_, buffer_, parser, as_tuple(use_awaitable)));
    if (!body) {
      in.refused = problem{408, "the request body did not arrive in time"};
      co_return;
    }
    if (auto [ec, n] = *body; ec) {
      if (ec == bhttp::error::body_limit) in.refused = problem{413, "the body is larger than " + std::to_string(lim.body_bytes) + " octets"};
      else if (is_parse_error(ec)) in.refused = bad_request("malformed request body: " + ec.message());
      else in.gone = true;
      co_return;
    }
  }
  in.req.body = std::move(parser.get().body());
  in.keep_alive = parser.get().keep_alive();
}

asio::awaitable<bool> connection::write_response(response r, bool head_only, bool keep_alive, int version) {
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(r.status), static_cast<unsigned>(version)};
  if (auto reason = reason_phrase(r.status); !reason.empty()) res.reason(reason);
  for (const auto& f : r.fields) res.insert(f.name, f.value);
  res.set(bhttp::field::server, "mailsim");
  res.set(bhttp::field::date, http_date(owner_.clock_.wall_now()));  // RFC 9110 section 6.6.1
  res.keep_alive(keep_alive);
  if (head_only) {
    if (r.status != 204) res.content_length(r.body.size());
  } else {
    res.body() = std::move(r.body);
    res.prepare_payload();
  }
  auto done = co_await with_timeout(owner_.clock_, owner_.options_.timers.write,
                                    bhttp::async_write(socket_, res, as_tuple(use_awaitable)));
  co_return done && !std::get<0>(*done);
}

// Text/event-stream: the head, then batches of events as they come (each
// batch read from the world only once the previous one is written), a
// comment when nothing happens for the heartbeat, the last chunk at the end.
asio::awaitable<void> connection::stream_trace(const response& head, trace_follow follow, int version) {
  phase_ = phase::streaming;
  const timeouts& t = owner_.options_.timers;
  bool chunked = version >= 11;  // HTTP/1.0: the stream ends when the connection does
  bhttp::response<bhttp::empty_body> res{bhttp::status::ok, static_cast<unsigned>(version)};
  for (const auto& f : head.fields) res.insert(f.name, f.value);
  res.set(bhttp::field::server, "mailsim");
  res.set(bhttp::field::date, http_date(owner_.clock_.wall_now()));
  res.keep_alive(false);
  if (chunked) res.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer{res};
  auto sent = co_await with_timeout(owner_.clock_, t.write,
                                    bhttp::async_write_header(socket_, serializer, as_tuple(use_awaitable)));
  if (!sent || std::get<0>(*sent)) co_return;
  trace_feed feed(owner_.world_, follow);
  // The world calls back from inside whatever emitted the event: only post
  // a wake-up (once until it has run), never touch the stream there.
  std::weak_ptr<connection> weak = weak_from_this();
  auto watch = owner_.world_.watch_trace([weak] {
    auto self = weak.lock();
    if (!self || self->wake_posted_) return;
    self->wake_posted_ = true;
    asio::post(self->socket_.get_executor(), [weak] {
      if (auto s = weak.lock()) {
        s->wake_posted_ = false;
        s->wake_.try_send(error_code{});
      }
    });
  });
  using namespace asio::experimental::awaitable_operators;
  while (!stopping_) {
    std::string batch = feed.next(owner_.options_.events_per_batch);
    if (!batch.empty()) {
      if (!co_await write_bytes(std::move(batch), chunked)) co_return;
      continue;
    }
    if (feed.done()) break;
    auto woke = co_await (wake_.async_receive(as_tuple(use_awaitable)) || owner_.clock_.sleep_for(t.heartbeat));
    if (woke.index() == 1 && !co_await write_bytes(sse_comment("keep-alive"), chunked)) co_return;
  }
  if (chunked) {
    std::string last = "0\r\n\r\n";  // RFC 9112 section 7.1: the last chunk, no trailer
    co_await write_bytes(std::move(last), false);
  }
}

asio::awaitable<bool> connection::write_bytes(std::string bytes, bool chunked) {
  auto limit = owner_.options_.timers.write;
  std::optional<std::tuple<error_code, std::size_t>> done;
  if (chunked)
    done = co_await with_timeout(owner_.clock_, limit,
                                 asio::async_write(socket_, bhttp::make_chunk(asio::buffer(bytes)), as_tuple(use_awaitable)));
  else
    done = co_await with_timeout(owner_.clock_, limit, asio::async_write(socket_, asio::buffer(bytes), as_tuple(use_awaitable)));
  co_return done && !std::get<0>(*done);
}

// After a refusal the client may still be sending (a body too large): stop
// sending, read and drop what still comes for a moment, so that closing
// does not reset the connection before it has read the answer (RFC 9112
// section 9.6).
asio::awaitable<void> connection::linger() {
  error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  std::array<char, 4096> scratch;
  std::size_t dropped = 0;
  while (dropped < owner_.options_.request_limits.body_bytes) {
    auto got = co_await with_timeout(owner_.clock_, std::chrono::seconds(1),
                                     socket_.async_read_some(asio::buffer(scratch), as_tuple(use_awaitable)));
    if (!got || std::get<0>(*got)) co_return;
    dropped += std::get<1>(*got);
  }
}

void connection::stop() {
  stopping_ = true;
  error_code ignored;
  if (phase_ == phase::idle || phase_ == phase::reading) socket_.cancel(ignored);
  if (phase_ == phase::streaming) wake_.try_send(error_code{});
}

void connection::close() {
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace sim::http
