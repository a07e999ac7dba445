package suggest

// The model's bytes, compact and versioned:
//
//	"GLOSSTAG", uvarint ModelVersion,
//	uvarint n + n bytes of JSON header (Version, Labels, Summary, per label
//	the weight norm and calibration),
//	uvarint features, then their hashes ascending as uvarint deltas,
//	per label: the (3+1)×3 transition weights as float32, uvarint count of
//	features with a weight, then per such feature a uvarint index delta
//	and its 3 weights as float32.
//
// All numbers little-endian. Features no label weighs are not stored.

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

const modelMagic = "GLOSSTAG"

type modelHeader struct {
	Version int
	Labels  []string
	Summary TrainSummary
	Calib   []calibration
}

type calibration struct {
	Local      bool
	Norm, A, B float64
	Calibrated bool
}

// MarshalBinary encodes the model.
func (m *Model) MarshalBinary() ([]byte, error) {
	hdr := modelHeader{Version: m.Version, Labels: m.Labels, Summary: m.Summary}
	for _, lt := range m.taggers {
		hdr.Calib = append(hdr.Calib, calibration{lt.local, lt.norm, lt.a, lt.b, lt.calibrated})
	}
	hj, err := json.Marshal(hdr)
	if err != nil {
		return nil, err
	}
	hashes := make([]uint64, 0, len(m.feats))
	for h := range m.feats {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	b := make([]byte, 0, len(hj)+len(hashes)*(8+len(m.taggers)*6))
	b = append(b, modelMagic...)
	b = binary.AppendUvarint(b, ModelVersion)
	b = binary.AppendUvarint(b, uint64(len(hj)))
	b = append(b, hj...)
	b = binary.AppendUvarint(b, uint64(len(hashes)))
	var prev uint64
	for _, h := range hashes {
		b = binary.AppendUvarint(b, h-prev)
		prev = h
	}
	for _, lt := range m.taggers {
		for _, x := range lt.trans {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
		var nz []int
		for i, h := range hashes {
			f := int(m.feats[h])
			if slices.ContainsFunc(lt.w[f*nTags:f*nTags+nTags], func(x float32) bool { return x != 0 }) {
				nz = append(nz, i)
			}
		}
		b = binary.AppendUvarint(b, uint64(len(nz)))
		last := 0
		for _, i := range nz {
			b = binary.AppendUvarint(b, uint64(i-last))
			last = i
			f := int(m.feats[hashes[i]])
			for _, x := range lt.w[f*nTags : f*nTags+nTags] {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
			}
		}
	}
	return b, nil
}

// LoadModel decodes a model written by MarshalBinary.
func LoadModel(data []byte) (*Model, error) {
	bad := func(what string) error { return fmt.Errorf("not a Gloss tagger model: %s", what) }
	if !bytes.HasPrefix(data, []byte(modelMagic)) {
		return nil, bad("no header")
	}
	r := bytes.NewReader(data[len(modelMagic):])
	uv := func() (uint64, error) { return binary.ReadUvarint(r) }
	v, err := uv()
	if err != nil {
		return nil, bad("truncated")
	}
	if v != ModelVersion {
		return nil, fmt.Errorf("tagger model version %d; this program reads version %d (train it again)", v, ModelVersion)
	}
	n, err := uv()
	if err != nil || n > uint64(r.Len()) {
		return nil, bad("truncated header")
	}
	hj := make([]byte, n)
	if _, err := io.ReadFull(r, hj); err != nil {
		return nil, bad("truncated header")
	}
	var hdr modelHeader
	if err := json.Unmarshal(hj, &hdr); err != nil {
		return nil, bad(err.Error())
	}
	if len(hdr.Calib) != len(hdr.Labels) {
		return nil, bad("labels and calibration disagree")
	}
	nF, err := uv()
	if err != nil || nF > uint64(r.Len()) {
		return nil, bad("truncated features")
	}
	m := &Model{Version: hdr.Version, Labels: hdr.Labels, Summary: hdr.Summary, feats: make(map[uint64]int32, nF)}
	var h uint64
	for i := range int(nF) {
		d, err := uv()
		if err != nil {
			return nil, bad("truncated features")
		}
		h += d
		m.feats[h] = int32(i)
	}
	var b4 [4]byte
	f32 := func() (float32, error) {
		_, err := io.ReadFull(r, b4[:])
		return math.Float32frombits(binary.LittleEndian.Uint32(b4[:])), err
	}
	for _, c := range hdr.Calib {
		lt := &labelTagger{w: make([]float32, int(nF)*nTags), trans: make([]float32, (nTags+1)*nTags),
			local: c.Local, norm: c.Norm, a: c.A, b: c.B, calibrated: c.Calibrated}
		for k := range lt.trans {
			if lt.trans[k], err = f32(); err != nil {
				return nil, bad("truncated transitions")
			}
		}
		cnt, err := uv()
		if err != nil || cnt > nF {
			return nil, bad("truncated weights")
		}
		i := 0
		for range int(cnt) {
			d, err := uv()
			if err != nil || uint64(i)+d >= nF {
				return nil, bad("bad weights")
			}
			i += int(d)
			for t := range nTags {
				if lt.w[i*nTags+t], err = f32(); err != nil {
					return nil, bad("truncated weights")
				}
			}
		}
		m.taggers = append(m.taggers, lt)
	}
	if r.Len() != 0 {
		return nil, errors.New("not a Gloss tagger model: trailing bytes")
	}
	return m, nil
}

// UnmarshalBinary decodes a model into m (encoding.BinaryUnmarshaler).
func (m *Model) UnmarshalBinary(data []byte) error {
	l, err := LoadModel(data)
	if err != nil {
		return err
	}
	*m = *l
	return nil
}
