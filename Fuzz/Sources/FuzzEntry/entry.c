// Entry points for the fuzz executables.
//
// libFuzzer brings its own `main`, which parses the command line and then calls
// `LLVMFuzzerTestOneInput` (defined in each target's Swift file). But SwiftPM (tools 5.5+)
// compiles an executable target's entry point as `<Module>_main` and links it with
// `--defsym main=<Module>_main`, so that tests can link executables; with
// `-parse-as-library` and no `@main` that symbol would not exist and the link fails.
// These definitions are that symbol: each hands over to libFuzzer's driver, exactly what
// libFuzzer's own `main` does. Add one line here for each new fuzz target.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#define FUZZ_ENTRY(module) \
    int module##_main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }

FUZZ_ENTRY(FuzzIMUCSV)
FUZZ_ENTRY(FuzzTOML)
FUZZ_ENTRY(FuzzControlRequest)
