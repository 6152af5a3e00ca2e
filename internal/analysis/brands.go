package analysis

// BrandRegistry is a placeholder; the brand registry is being written.
type BrandRegistry struct{}
