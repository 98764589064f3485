#include "fuzz.h"
int LLVMFuzzerInitialize(int *argc, char ***argv){return 0;}
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n){return 0;}
