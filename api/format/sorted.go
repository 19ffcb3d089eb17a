package format

import "bytes"

// ExaBGP keeps COMMUNITIES, EXTENDED_COMMUNITIES and LARGE_COMMUNITY
// sorted by their packed bytes (Communities.add sorts), and drops
// repeated large communities. sortedChunks returns the start offsets of
// the size-byte chunks of v in that order, in idx when it is big enough
// (no allocation for up to len(idx) chunks).
func sortedChunks(v []byte, size int, idx []int, dedupe bool) []int {
	n := len(v) / size
	out := idx[:0]
	if n > cap(idx) {
		out = make([]int, 0, n)
	}
	for i := 0; i < n; i++ {
		off := i * size
		c := v[off : off+size]
		if dedupe && containsChunk(v, out, c, size) {
			continue
		}
		// insertion sort, stable
		out = append(out, off)
		for j := len(out) - 1; j > 0 && bytes.Compare(v[out[j-1]:out[j-1]+size], c) > 0; j-- {
			out[j-1], out[j] = out[j], out[j-1]
		}
	}
	return out
}

func containsChunk(v []byte, offs []int, c []byte, size int) bool {
	for _, o := range offs {
		if bytes.Equal(v[o:o+size], c) {
			return true
		}
	}
	return false
}

// wireChunks returns the offsets of the size-byte chunks of v in message
// order (the unsorted counterpart of sortedChunks).
func wireChunks(v []byte, size int, idx []int) []int {
	n := len(v) / size
	out := idx[:0]
	if n > cap(idx) {
		out = make([]int, 0, n)
	}
	for i := 0; i < n; i++ {
		out = append(out, i*size)
	}
	return out
}
