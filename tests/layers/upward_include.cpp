// Must not compile in the util layer's include view: util may not see store.
#include "daemon/store/state_db.h"
