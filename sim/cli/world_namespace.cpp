// sim/cli/world_namespace.cpp - unshare(2), loopback and its addresses over rtnetlink, resolv.conf.
#include "sim/cli/world_namespace.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <fstream>

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_dns/address.hpp"

namespace sim::cli {
namespace {

std::string system_error_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// Closes a descriptor when it goes out of scope.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

void loopback_up() {
  fd_guard s{::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)};
  if (s.fd < 0) throw namespace_error(system_error_text("cannot open a socket in the new network namespace"));
  ifreq req{};
  std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  if (::ioctl(s.fd, SIOCGIFFLAGS, &req) < 0) throw namespace_error(system_error_text("cannot read the flags of lo"));
  req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP);
  if (::ioctl(s.fd, SIOCSIFFLAGS, &req) < 0) throw namespace_error(system_error_text("cannot bring lo up"));
}

// One RTM_NEWADDR request (rtnetlink(7)): the address as IFA_LOCAL and
// IFA_ADDRESS on lo, a host prefix, no duplicate address detection.
struct address_request {
  nlmsghdr head;
  ifaddrmsg ifa;
  char attributes[64];
};

void append_attribute(address_request& r, unsigned short type, const void* data, std::size_t size) {
  auto* at = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(&r) + NLMSG_ALIGN(r.head.nlmsg_len));
  at->rta_type = type;
  at->rta_len = static_cast<unsigned short>(RTA_LENGTH(size));
  std::memcpy(RTA_DATA(at), data, size);
  r.head.nlmsg_len = NLMSG_ALIGN(r.head.nlmsg_len) + RTA_ALIGN(at->rta_len);
}

void add_address(int nl, unsigned index, const std::string& ip, std::uint32_t sequence) {
  auto parsed = dns::parse_ip(ip);
  if (!parsed) throw namespace_error("not an address: " + ip);
  bool v6 = ip.find(':') != std::string::npos;
  unsigned char bytes[16];
  if (::inet_pton(v6 ? AF_INET6 : AF_INET, ip.c_str(), bytes) != 1) throw namespace_error("not an address: " + ip);
  address_request r{};
  r.head.nlmsg_len = NLMSG_LENGTH(sizeof(ifaddrmsg));
  r.head.nlmsg_type = RTM_NEWADDR;
  r.head.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
  r.head.nlmsg_seq = sequence;
  r.ifa.ifa_family = static_cast<unsigned char>(v6 ? AF_INET6 : AF_INET);
  r.ifa.ifa_prefixlen = static_cast<unsigned char>(v6 ? 128 : 32);
  r.ifa.ifa_flags = IFA_F_NODAD;
  r.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
  r.ifa.ifa_index = index;
  std::size_t size = v6 ? 16 : 4;
  append_attribute(r, IFA_LOCAL, bytes, size);
  append_attribute(r, IFA_ADDRESS, bytes, size);
  if (::send(nl, &r, r.head.nlmsg_len, 0) < 0) throw namespace_error(system_error_text("cannot add " + ip + " to lo"));
  char reply[4096];
  ssize_t got = ::recv(nl, reply, sizeof reply, 0);
  if (got < static_cast<ssize_t>(NLMSG_LENGTH(sizeof(nlmsgerr))))
    throw namespace_error(system_error_text("no answer from rtnetlink for " + ip));
  auto* head = reinterpret_cast<nlmsghdr*>(reply);
  if (head->nlmsg_type != NLMSG_ERROR) return;
  int error = -reinterpret_cast<nlmsgerr*>(NLMSG_DATA(head))->error;
  // 127.0.0.1 and ::1 come with lo: already there is fine.
  if (error != 0 && error != EEXIST) {
    errno = error;
    throw namespace_error(system_error_text("cannot add " + ip + " to lo"));
  }
}

void add_addresses(const std::vector<std::string>& addresses) {
  unsigned index = ::if_nametoindex("lo");
  if (index == 0) throw namespace_error(system_error_text("no loopback interface in the new namespace"));
  fd_guard nl{::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)};
  if (nl.fd < 0) throw namespace_error(system_error_text("cannot open an rtnetlink socket"));
  std::uint32_t sequence = 1;
  for (const auto& ip : addresses) add_address(nl.fd, index, ip, sequence++);
}

// A file of our own bind-mounted over /etc/resolv.conf, then unlinked: the
// mount keeps it alive for as long as the namespace lives.
void mount_resolv_conf() {
  char dir[] = "/tmp/mailsim-world-XXXXXX";
  if (!::mkdtemp(dir)) throw namespace_error(system_error_text("cannot make a temporary folder"));
  std::string file = std::string(dir) + "/resolv.conf";
  {
    std::ofstream out(file);
    out << "# mailsim world: the scenario's fake DNS\nnameserver " << world_dns_address << "\noptions attempts:2 timeout:2\n";
  }
  int rc = ::mount(file.c_str(), "/etc/resolv.conf", nullptr, MS_BIND, nullptr);
  int saved = errno;
  ::unlink(file.c_str());
  ::rmdir(dir);
  errno = saved;
  if (rc != 0) throw namespace_error(system_error_text("cannot bind-mount a resolv.conf over /etc/resolv.conf"));
}

}  // namespace

bool is_world_address(const std::string& ip) {
  auto a = dns::parse_ip(ip);
  if (!a) return false;
  unsigned char b[16];
  if (ip.find(':') != std::string::npos) {
    if (::inet_pton(AF_INET6, ip.c_str(), b) != 1) return false;
    static const unsigned char loopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || std::memcmp(b, loopback6, 16) == 0;
  }
  if (::inet_pton(AF_INET, ip.c_str(), b) != 1) return false;
  return b[0] == 127 || (b[0] == 192 && b[1] == 0 && b[2] == 2) || (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
         (b[0] == 203 && b[1] == 0 && b[2] == 113);
}

void enter_private_world(const std::vector<std::string>& addresses) {
  if (::geteuid() != 0)
    throw namespace_error("must run as root: it creates private network, mount and PID namespaces (unshare(2))");
  // The PID namespace is COMMAND's alone (world_child.cpp).
  if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0)
    throw namespace_error(system_error_text("cannot create private network and mount namespaces (unshare)"));
  // Nothing mounted from now on propagates back to the machine's namespace.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    throw namespace_error(system_error_text("cannot make the mounts private"));
  loopback_up();
  add_addresses(addresses);
  mount_resolv_conf();
}

}  // namespace sim::cli
