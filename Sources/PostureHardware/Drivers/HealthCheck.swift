/// The health check every driver shares: canaries first (cheap, catches brown-outs),
/// then the frozen-data count kept by `read`.
///
/// `readCanary` lets banked chips select the bank first; `reconfigureChip` re-applies the
/// last settings (a full reset + configure).
func runHealthCheck(
    chip: String, address: UInt8, canaries: [Canary], frozen: FrozenDataWatch, reconfigure: Bool,
    readCanary: (Canary) throws(IMUError) -> UInt8,
    reconfigureChip: () throws(IMUError) -> Void
) throws(IMUError) -> HealthStatus {
    for canary in canaries {
        let value = try readCanary(canary)
        if value != canary.expected {
            // A register that reads its power-on value was reset; any other value is a
            // corrupted configuration. Both are cured the same way.
            if !reconfigure {
                if value == canary.powerOn {
                    throw .chipReset(chip: chip, address: address, register: canary.register, expected: canary.expected, read: value)
                }
                throw .configurationNotApplied(chip: chip, address: address, register: canary.register, wrote: canary.expected, read: value)
            }
            try reconfigureChip()
            return .reconfiguredAfterReset
        }
    }
    if frozen.identical >= frozen.limit {
        if !reconfigure { throw .dataFrozen(chip: chip, address: address, identicalReads: frozen.identical) }
        try reconfigureChip()
        return .reconfiguredAfterFrozenData
    }
    return .healthy
}
