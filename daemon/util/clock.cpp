#include "daemon/util/clock.h"

namespace spiegel::util {

const Clock& system_clock() {
    static const SystemClock k_clock;
    return k_clock;
}

}  // namespace spiegel::util
