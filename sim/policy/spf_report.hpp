// sim/policy/spf_report.hpp - SPF results as header, CLI output and policy check.
//
// Sans-I/O formatting of an spf_evaluation.
#pragma once

#include <string>
#include <string_view>

#include "sim/policy/check_result.hpp"
#include "sim/policy/spf_result.hpp"

namespace sim::policy {

// The receiving host's SPF setting (scenario `policy.spf`).
enum class spf_mode { off, tag, reject };

// The comment of the header: "domain of alice@example.org designates
// 192.0.2.1 as permitted sender", ... (RFC 7208 section 9.1).
std::string spf_comment(const spf_evaluation& evaluation);

// RFC 7208 section 9.1, unfolded, without CRLF:
// `Received-SPF: pass (mailsim: domain of x designates 192.0.2.1 as
// permitted sender) client-ip=192.0.2.1; envelope-from="x"; helo=h;`
// `reporter` names the host in the comment ("mailsim" when empty).
std::string received_spf_header(const spf_evaluation& evaluation, std::string_view reporter = "mailsim");

// The `mailsim spf` output (cli.md): the result keyword, the explanation of
// a fail, each step indented by its depth, then the lookup counts.  Every
// line ends in "\n".
std::string format_spf_output(const spf_evaluation& evaluation);

// The policy decision for the MTA: in reject mode `fail` is refused with
// 550 5.7.23 and `temperror` deferred with 451 4.7.24 (RFC 7372 section 3.2);
// tag mode only reports (the MTA adds received_spf_header()).
check_result spf_check(const spf_evaluation& evaluation, spf_mode mode);

}  // namespace sim::policy
