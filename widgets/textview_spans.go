package widgets

import (
	"cmp"
	"slices"
)

// spanIndex keeps spans sorted by start (longer first on ties) with their
// lanes and an implicit augmented interval tree (the cgranges layout: the
// sorted array is read as a binary tree, each node storing the maximum end
// of its subtree) so that "which spans overlap [a, b)" costs O(log n + k).
type spanIndex struct {
	spans    []Span
	lanes    []int
	maxEnd   []int
	maxLevel int
}

func (ix *spanIndex) set(spans []Span) {
	s := make([]Span, 0, len(spans))
	for _, sp := range spans {
		if sp.End > sp.Start {
			s = append(s, sp)
		}
	}
	slices.SortFunc(s, spanOrder)
	ix.spans = s
	ix.lanes = assignLanes(s)
	ix.build()
}

// add puts one more span in the index where set would have sorted it: no
// sort of the others, but the lanes and the interval tree are built again
// (a new span can push later ones to other lanes), which is linear.
func (ix *spanIndex) add(sp Span) {
	if sp.End <= sp.Start {
		return
	}
	i, _ := slices.BinarySearchFunc(ix.spans, sp, spanOrder)
	ix.spans = slices.Insert(ix.spans, i, sp)
	ix.lanes = assignLanes(ix.spans)
	ix.build()
}

// spanOrder sorts spans by start, the longer first, then by ID.
func spanOrder(a, b Span) int {
	if c := cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(b.End, a.End); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func (ix *spanIndex) build() {
	n := len(ix.spans)
	ix.maxEnd = make([]int, n)
	if n == 0 {
		ix.maxLevel = -1
		return
	}
	lastI, last := 0, 0
	for i := 0; i < n; i += 2 {
		lastI, last = i, ix.spans[i].End
		ix.maxEnd[i] = last
	}
	k := 1
	for ; 1<<k <= n; k++ {
		x := 1 << (k - 1)
		i0, step := (x<<1)-1, x<<2
		for i := i0; i < n; i += step {
			e := max(ix.spans[i].End, ix.maxEnd[i-x])
			if i+x < n {
				e = max(e, ix.maxEnd[i+x])
			} else {
				e = max(e, last)
			}
			ix.maxEnd[i] = e
		}
		if (lastI>>k)&1 != 0 {
			lastI -= x
		} else {
			lastI += x
		}
		if lastI < n && ix.maxEnd[lastI] > last {
			last = ix.maxEnd[lastI]
		}
	}
	ix.maxLevel = k - 1
}

// overlapping appends to out the indexes of spans overlapping [a, b), in
// ascending order, and returns it.
func (ix *spanIndex) overlapping(a, b int, out []int) []int {
	n := len(ix.spans)
	if n == 0 || a >= b {
		return out
	}
	type frame struct{ x, k, w int }
	var stackBuf [64]frame
	stack := append(stackBuf[:0], frame{(1 << ix.maxLevel) - 1, ix.maxLevel, 0})
	first := len(out)
	for len(stack) > 0 {
		z := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch {
		case z.k <= 3:
			i0 := z.x >> z.k << z.k
			i1 := min(i0+(1<<(z.k+1))-1, n)
			for i := i0; i < i1 && ix.spans[i].Start < b; i++ {
				if a < ix.spans[i].End {
					out = append(out, i)
				}
			}
		case z.w == 0:
			y := z.x - (1 << (z.k - 1))
			stack = append(stack, frame{z.x, z.k, 1})
			if y >= n || ix.maxEnd[y] > a {
				stack = append(stack, frame{y, z.k - 1, 0})
			}
		case z.x < n && ix.spans[z.x].Start < b:
			if a < ix.spans[z.x].End {
				out = append(out, z.x)
			}
			stack = append(stack, frame{z.x + (1 << (z.k - 1)), z.k - 1, 0})
		}
	}
	slices.Sort(out[first:])
	return out
}

// innermostAt returns the index of the shortest span containing offset off
// (the deepest lane on ties), or -1.
func (ix *spanIndex) innermostAt(off int) int {
	var buf [32]int
	best := -1
	for _, i := range ix.overlapping(off, off+1, buf[:0]) {
		if best < 0 {
			best = i
			continue
		}
		l, bl := ix.spans[i].End-ix.spans[i].Start, ix.spans[best].End-ix.spans[best].Start
		if l < bl || (l == bl && ix.lanes[i] > ix.lanes[best]) {
			best = i
		}
	}
	return best
}

func (ix *spanIndex) find(id string) int {
	if id == "" {
		return -1
	}
	for i := range ix.spans {
		if ix.spans[i].ID == id {
			return i
		}
	}
	return -1
}

// assignLanes gives each span (sorted by start, longer first) the lowest lane
// that is free across its whole extent, so an enclosing span sits in a lower
// lane than the spans inside it.
func assignLanes(spans []Span) []int {
	lanes := make([]int, len(spans))
	// (end, lane) of spans still open, earliest end first
	active := minHeap[laneEnd]{less: func(a, b laneEnd) bool {
		return a.end < b.end || (a.end == b.end && a.lane < b.lane)
	}}
	free := minHeap[int]{less: func(a, b int) bool { return a < b }} // lanes released
	next := 0
	for i, sp := range spans {
		for len(active.s) > 0 && active.s[0].end <= sp.Start {
			free.push(active.pop().lane)
		}
		lane := next
		if len(free.s) > 0 {
			lane = free.pop()
		} else {
			next++
		}
		lanes[i] = lane
		active.push(laneEnd{sp.End, lane})
	}
	return lanes
}

type laneEnd struct{ end, lane int }

// minHeap is a binary heap ordered by less; the smallest element is s[0].
type minHeap[T any] struct {
	s    []T
	less func(a, b T) bool
}

func (h *minHeap[T]) push(v T) {
	h.s = append(h.s, v)
	s := h.s
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(s[i], s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *minHeap[T]) pop() T {
	s := h.s
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && h.less(s[l], s[m]) {
			m = l
		}
		if r < len(s) && h.less(s[r], s[m]) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	h.s = s
	return top
}
