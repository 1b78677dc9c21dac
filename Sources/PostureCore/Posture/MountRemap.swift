/// Why a configured `mount` string could not be used.
public enum MountRemapError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not exactly three comma-separated entries.
    case wrongEntryCount(String)
    /// An entry that is not `x`, `y` or `z` with an optional `+`/`-` sign.
    case unknownAxis(String)
    /// The same sensor axis named twice.
    case repeatedAxis(String)
    /// The three entries form a mirror image (determinant −1): no sensor can be
    /// mounted that way, so it is a typo, e.g. one sign too many.
    case mirrored(String)

    public var description: String {
        switch self {
        case .wrongEntryCount(let s): "mount \"\(s)\": expected three comma-separated axes such as \"x,y,z\""
        case .unknownAxis(let s): "mount: unknown axis \"\(s)\" (use x, y, z with an optional sign)"
        case .repeatedAxis(let s): "mount \"\(s)\": a sensor axis is named twice"
        case .mirrored(let s): "mount \"\(s)\": a mirror image, not a rotation (check the signs)"
        }
    }
}

extension SensorMounting {
    /// Parses a configured axis remap, such as `mount = "-y,x,z"`, into a mounting.
    ///
    /// The three entries say, in order, which signed *sensor* axis points the way the
    /// default mounting's x, y and z point: up the spine, to the wearer's left, and out
    /// of the back. So `"x,y,z"` is `SensorMounting.standard`, and `"-y,x,z"` means the
    /// sensor's −y points up the spine, its x to the left and its z out of the back.
    /// Whitespace and case are ignored.
    public init(remap: String) throws(MountRemapError) {
        let entries = remap.split(separator: ",", omittingEmptySubsequences: false)
        guard entries.count == 3 else { throw .wrongEntryCount(remap) }
        // rows[i] = the sensor-frame direction of default-mount axis i.
        var rows: [Vector3] = []
        var used: Set<Character> = []
        for entry in entries {
            let token = entry.filter { !$0.isWhitespace }.lowercased()
            var sign = 1.0
            var name = Substring(token)
            if let first = name.first, first == "-" || first == "+" {
                sign = first == "-" ? -1 : 1
                name = name.dropFirst()
            }
            guard name.count == 1, let axis = name.first else { throw .unknownAxis(String(entry)) }
            let direction: Vector3
            switch axis {
            case "x": direction = Vector3(sign, 0, 0)
            case "y": direction = Vector3(0, sign, 0)
            case "z": direction = Vector3(0, 0, sign)
            default: throw .unknownAxis(String(entry))
            }
            guard used.insert(axis).inserted else { throw .repeatedAxis(remap) }
            rows.append(direction)
        }
        let (spineUp, left, posterior) = (rows[0], rows[1], rows[2])
        guard spineUp.cross(left).dot(posterior) > 0 else { throw .mirrored(remap) }
        // Default mounting: body z = spine up, body y = left, body x = −posterior.
        self.init(bodyX: -posterior, bodyY: left, bodyZ: spineUp)
    }
}
