import KeepwatchCore

/// An object as a remote sent it: parsed, for the fields the index reads, and where it sits in the reply's bytes,
/// so that it is served as it arrived (`SourceRef.stampedText`) rather than written again from its tree.
struct RemoteObject: Sendable {
    let value: [String: JSONValue]
    /// The reply the object is part of (shared, not copied) and the object's place in it; nil when not known.
    let bytes: [UInt8]
    let span: Range<Int>?

    init(value: [String: JSONValue], bytes: [UInt8] = [], span: Range<Int>? = nil) {
        self.value = value
        self.bytes = bytes
        self.span = span
    }

    subscript(key: String) -> JSONValue? { value[key] }

    /// The objects in the array that is this object's member `key`, each with its span when the text could be
    /// followed.
    func objects(_ key: String) -> [RemoteObject] {
        let values = value[key]?.arrayValue ?? []
        let spans = span.flatMap { JSONSpans.elements(ofMember: key, in: bytes, object: $0) }
        let aligned = spans?.count == values.count ? spans : nil
        return values.enumerated().compactMap { index, element in
            guard let object = element.objectValue else { return nil }
            return RemoteObject(value: object, bytes: bytes, span: aligned?[index])
        }
    }
}

extension SourceRef {
    /// The object as served: the source's keys (and `extra`) first, then its own members as the remote wrote them,
    /// `replacing`'s value swapped in. Written from the tree instead when a key would be given twice or the text
    /// cannot be followed.
    func stampedText(_ object: RemoteObject, extra: [(key: String, value: JSONValue)] = [],
                     replacing: (key: String, value: JSONValue)? = nil) -> String {
        let own = Self.stampKeys + extra.map(\.key)
        if let span = object.span, !own.contains(where: { object.value[$0] != nil }) {
            guard let replacing else { return JSONSplice.object(object.bytes, span: span, written: stampMembers, leading: extra) }
            if let member = JSONSpans.member(replacing.key, in: object.bytes, object: span) {
                return JSONSplice.object(object.bytes, span: span, written: stampMembers, leading: extra,
                                         replacing: (member, JSONWriter.text(replacing.value)))
            }
        }
        var tree = object.value
        for member in extra { tree[member.key] = member.value }
        if let replacing { tree[replacing.key] = replacing.value }
        return JSONWriter.text(.object(stamped(tree)))
    }
}
