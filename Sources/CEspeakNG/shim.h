// libespeak-ng's C API (speak_lib.h): synthesis into a callback with phoneme events.
#include <espeak-ng/speak_lib.h>
