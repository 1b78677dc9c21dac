// Numbers in calibration messages, rounded without Foundation's formatting.

/// One decimal, without Foundation's formatting: enough for a message.
func tenths(_ x: Double) -> Double { (x * 10).rounded() / 10 }

/// Three decimals without Foundation's formatting: enough for a message, not a report.
func thousandths(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
