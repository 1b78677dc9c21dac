/// The day log's schema and its migrations. `docs/store.md` describes every column.
///
/// `PRAGMA user_version` is the schema version: `migrations[n]` takes a log from version n to
/// n + 1, inside the transaction that also sets the new version, so a failed migration
/// leaves the log as it was. Never edit a shipped migration; append a new one.
enum DayLogSchema {
    /// "PSTD" in ASCII: marks a file as postured's day log (`PRAGMA application_id`).
    static let applicationID: Int32 = 0x5053_5444

    static var currentVersion: Int { migrations.count }

    /// The tables of version 1. No `STRICT` (SQLite 3.37+) so older Raspberry Pi OS releases
    /// can read the file; CHECK constraints instead. Times are UTC seconds since 1970.
    static let migrations: [String] = [
        """
        CREATE TABLE minutes (
            start_unix INTEGER PRIMARY KEY CHECK (start_unix % 60 = 0),
            sitting_s REAL NOT NULL DEFAULT 0 CHECK (sitting_s >= 0),
            standing_s REAL NOT NULL DEFAULT 0 CHECK (standing_s >= 0),
            walking_s REAL NOT NULL DEFAULT 0 CHECK (walking_s >= 0),
            lying_s REAL NOT NULL DEFAULT 0 CHECK (lying_s >= 0),
            unknown_s REAL NOT NULL DEFAULT 0 CHECK (unknown_s >= 0),
            slouch_s REAL NOT NULL DEFAULT 0 CHECK (slouch_s >= 0),
            pelvic_tilt_mean REAL,
            pelvic_tilt_min REAL,
            pelvic_tilt_max REAL,
            pelvic_obliquity_mean REAL,
            lumbar_flexion_mean REAL,
            lumbar_flexion_min REAL,
            lumbar_flexion_max REAL,
            angle_samples INTEGER NOT NULL DEFAULT 0,
            lumbar_samples INTEGER NOT NULL DEFAULT 0,
            steps INTEGER NOT NULL DEFAULT 0,
            samples INTEGER NOT NULL DEFAULT 0,
            expected_samples INTEGER NOT NULL DEFAULT 0,
            overruns INTEGER NOT NULL DEFAULT 0,
            sensor_faults INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            time_unix REAL NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX events_by_time ON events (time_unix);
        CREATE TABLE gaps (
            id INTEGER PRIMARY KEY,
            start_unix REAL NOT NULL,
            end_unix REAL NOT NULL CHECK (end_unix >= start_unix),
            reason TEXT NOT NULL,
            UNIQUE (start_unix, reason)
        );
        CREATE INDEX gaps_by_end ON gaps (end_unix);
        CREATE TABLE calibrations (
            id INTEGER PRIMARY KEY,
            time_unix REAL NOT NULL,
            calibration TEXT NOT NULL
        );
        CREATE TABLE configurations (
            id INTEGER PRIMARY KEY,
            time_unix REAL NOT NULL,
            sha256 TEXT NOT NULL,
            text TEXT NOT NULL
        );
        """,
        // Version 2: what the daemon records before the wall clock can be trusted, stored as
        // it closes with the boot it belongs to and monotonic times (`DayLog+Undated`), so a
        // power loss before the clock synchronises loses nothing; dated and moved to the
        // tables above, in one transaction, once the clock is trusted in that boot.
        """
        CREATE TABLE undated_minutes (
            id INTEGER PRIMARY KEY,
            boot_id TEXT NOT NULL,
            start_mono REAL NOT NULL,
            end_mono REAL NOT NULL CHECK (end_mono >= start_mono),
            sitting_s REAL NOT NULL DEFAULT 0,
            standing_s REAL NOT NULL DEFAULT 0,
            walking_s REAL NOT NULL DEFAULT 0,
            lying_s REAL NOT NULL DEFAULT 0,
            unknown_s REAL NOT NULL DEFAULT 0,
            slouch_s REAL NOT NULL DEFAULT 0,
            pelvic_tilt_mean REAL,
            pelvic_tilt_min REAL,
            pelvic_tilt_max REAL,
            pelvic_obliquity_mean REAL,
            lumbar_flexion_mean REAL,
            lumbar_flexion_min REAL,
            lumbar_flexion_max REAL,
            angle_samples INTEGER NOT NULL DEFAULT 0,
            lumbar_samples INTEGER NOT NULL DEFAULT 0,
            steps INTEGER NOT NULL DEFAULT 0,
            samples INTEGER NOT NULL DEFAULT 0,
            expected_samples INTEGER NOT NULL DEFAULT 0,
            overruns INTEGER NOT NULL DEFAULT 0,
            sensor_faults INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX undated_minutes_by_boot ON undated_minutes (boot_id);
        CREATE TABLE undated_events (
            id INTEGER PRIMARY KEY,
            boot_id TEXT NOT NULL,
            time_mono REAL NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX undated_events_by_boot ON undated_events (boot_id);
        CREATE TABLE undated_gaps (
            id INTEGER PRIMARY KEY,
            boot_id TEXT NOT NULL,
            start_mono REAL NOT NULL,
            end_mono REAL NOT NULL CHECK (end_mono >= start_mono),
            reason TEXT NOT NULL
        );
        CREATE INDEX undated_gaps_by_boot ON undated_gaps (boot_id);
        """,
    ]
}
