extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpacesAndTabs: String { Substring(self).trimmingSpaces }
}
