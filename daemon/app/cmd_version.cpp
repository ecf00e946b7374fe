#include <iostream>

#include "daemon/app/commands.h"
#include "daemon/app/version.h"

namespace spiegel::app {

int cmd_version() {
    std::cout << "spiegeld " << k_version << "\n";
    return k_exit_ok;
}

}  // namespace spiegel::app
