// Package learn is slant's shared machine learning: hashed sparse features,
// one-vs-rest logistic regression trained deterministically, k-fold
// cross-validation, per-label decision thresholds, and a compact model file
// format. Every analyzer with a trained model uses it, so there is one
// implementation of training and one of scoring.
package learn

import (
	"math"
	"sort"
)

// Feature is one non-zero entry of a sparse vector.
type Feature struct {
	Index uint32
	Value float32
}

// Vector is a sparse feature vector with indices sorted and unique (as built
// by Builder.Vector).
type Vector []Feature

// Builder accumulates named features into a hashed sparse vector of 2^Bits
// dimensions. Names are hashed with FNV-1a, so the same name always lands on
// the same index, across runs and machines. A Builder is reusable and not
// safe for concurrent use.
type Builder struct {
	bits uint
	mask uint32
	acc  map[uint32]float32
}

// NewBuilder returns a builder for vectors of 2^bits dimensions.
func NewBuilder(bits uint) *Builder {
	return &Builder{bits: bits, mask: uint32(1)<<bits - 1, acc: make(map[uint32]float32, 256)}
}

// Dim returns the vector dimension.
func (b *Builder) Dim() int { return 1 << b.bits }

// Hash returns the index of a feature name.
func (b *Builder) Hash(name string) uint32 { return fnv32(name) & b.mask }

// Add adds v to the feature called name.
func (b *Builder) Add(name string, v float32) { b.acc[b.Hash(name)] += v }

// AddPrefixed adds v to the feature prefix+name without building the string.
func (b *Builder) AddPrefixed(prefix, name string, v float32) {
	h := fnvAdd(fnvAdd(offset32, prefix), name) & b.mask
	b.acc[h] += v
}

// AddPair adds v to the feature prefix+a+" "+c (word bigrams and the like).
func (b *Builder) AddPair(prefix, a, c string, v float32) {
	h := fnvAdd(fnvAdd(fnvAdd(fnvAdd(offset32, prefix), a), " "), c) & b.mask
	b.acc[h] += v
}

// Reset empties the builder.
func (b *Builder) Reset() { clear(b.acc) }

// Vector returns the accumulated features, L2-normalised when norm is true,
// sorted by index, and resets the builder.
func (b *Builder) Vector(norm bool) Vector {
	v := make(Vector, 0, len(b.acc))
	var ss float64
	for i, x := range b.acc {
		if x != 0 {
			v = append(v, Feature{i, x})
			ss += float64(x) * float64(x)
		}
	}
	sort.Slice(v, func(i, j int) bool { return v[i].Index < v[j].Index })
	if norm && ss > 0 {
		inv := float32(1 / math.Sqrt(ss))
		for i := range v {
			v[i].Value *= inv
		}
	}
	b.Reset()
	return v
}

// Concat returns the union of vectors built separately (e.g. a normalised
// n-gram block and a block of dense cues); indices are merged by summing.
func Concat(vs ...Vector) Vector {
	n := 0
	for _, v := range vs {
		n += len(v)
	}
	m := make(map[uint32]float32, n)
	for _, v := range vs {
		for _, f := range v {
			m[f.Index] += f.Value
		}
	}
	out := make(Vector, 0, len(m))
	for i, x := range m {
		out = append(out, Feature{i, x})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

const (
	offset32 = 2166136261
	prime32  = 16777619
)

func fnv32(s string) uint32 { return fnvAdd(offset32, s) }

func fnvAdd(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= prime32
	}
	return h
}
