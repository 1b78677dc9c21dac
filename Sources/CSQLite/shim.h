#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import:
// this hands it over as a value. Binding with it makes SQLite copy the bytes at once, so a
// Swift string's temporary buffer may go away right after the bind call.
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
