// Nothing to import: this target only supplies the fuzz executables' entry points (entry.c).
