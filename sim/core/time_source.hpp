// sim/core/time_source.hpp - what reads the time without needing the clock's
// timers (and so without Asio): the trace's timestamps.
#pragma once

#include "sim/core/time.hpp"

namespace sim {

class time_source {
 public:
  virtual ~time_source() = default;
  virtual time_point now() const = 0;
};

}  // namespace sim
