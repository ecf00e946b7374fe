// Compiles in the util layer's include view (the control for upward_include.cpp).
#include "daemon/util/expected.h"
