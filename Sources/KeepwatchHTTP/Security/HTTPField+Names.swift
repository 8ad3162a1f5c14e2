import HTTPTypes

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xRequestedWith = Self("X-Requested-With")!
    static let secFetchSite = Self("Sec-Fetch-Site")!
}
