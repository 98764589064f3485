/* A shared object that is not a textmill plugin: no textmill_plugin symbol. */
#include <textmill/textmill.h>

TM_API int not_a_plugin(void);
TM_API int not_a_plugin(void) { return 42; }
