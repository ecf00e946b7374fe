#include "daemon/app/cli.h"

int main(int argc, char** argv) { return spiegel::app::run_cli(argc, argv); }
