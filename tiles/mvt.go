package tiles

import (
	"encoding/binary"
	"math"
)

// The MVT 2.1 protobuf fields this writer emits (vector_tile.proto).
const (
	tileLayers    = 3
	layerName     = 1
	layerFeatures = 2
	layerKeys     = 3
	layerValues   = 4
	layerExtent   = 5
	layerVersion  = 15
	featureID     = 1
	featureTags   = 2
	featureType   = 3
	featureGeom   = 4
	valueString   = 1
	valueDouble   = 3
	valueUint     = 5
	typePolygon   = 3
	wireVarint    = 0
	wire64        = 1
	wireBytes     = 2
)

// mvtLayer writes one MVT layer whose keys are fixed up front (a layer's columns), sharing
// values between features as the format intends. Features are added one by one (begin, str or
// num per property, end); bytes gives the layer as a Tile message holding only it, so that it
// concatenates with other layers (ST_AsMVT's among them) into one tile. A layer is reused tile
// after tile (reset), keeping its buffers.
type mvtLayer struct {
	name     string
	keys     []string
	features []byte
	values   []byte
	strIdx   map[string]uint32
	numIdx   map[float64]uint32
	recent   [][]keptText // per key, its first few texts (see text)
	nValues  uint32
	tags     []uint32
	scratch  []byte
	nFeature int
}

func newMVTLayer(name string, keys []string) *mvtLayer {
	return &mvtLayer{name: name, keys: keys, strIdx: map[string]uint32{}, numIdx: map[float64]uint32{},
		recent: make([][]keptText, len(keys))}
}

// keptText is a text value and its index in the layer's values.
type keptText struct {
	s string
	i uint32
}

// fewTexts is how many texts of one key are compared before hashing: the keys the map styles
// by (stage, mode, land status, county) have fewer, and comparing a few short texts costs less
// than hashing them; a key with more (holders, classes) goes to the map.
const fewTexts = 16

// reset empties the layer for another tile.
func (l *mvtLayer) reset() {
	l.features, l.values = l.features[:0], l.values[:0]
	clear(l.strIdx)
	clear(l.numIdx)
	for k := range l.recent {
		l.recent[k] = l.recent[k][:0]
	}
	l.nValues, l.nFeature = 0, 0
}

// begin starts the properties of a feature.
func (l *mvtLayer) begin() { l.tags = l.tags[:0] }

// str gives the feature the text v under key k (an index into keys).
func (l *mvtLayer) str(k int, v []byte) {
	l.tags = append(l.tags, uint32(k), l.text(k, v))
}

// text returns the index of value v, shared by every key (as ST_AsMVT shares them), adding it
// when new. A key's first fewTexts texts are also kept with it and found by comparing.
func (l *mvtLayer) text(k int, v []byte) uint32 {
	recent := l.recent[k]
	if len(recent) == fewTexts {
		return l.lookup(v)
	}
	for _, t := range recent {
		if t.s == string(v) {
			return t.i
		}
	}
	i := l.lookup(v)
	l.recent[k] = append(recent, keptText{string(v), i})
	return i
}

// lookup finds or adds the text v in the layer's values.
func (l *mvtLayer) lookup(v []byte) uint32 {
	i, ok := l.strIdx[string(v)]
	if !ok {
		i = l.addValue(appendBytesField(l.scratch[:0], valueString, v))
		l.strIdx[string(v)] = i
	}
	return i
}

// unique gives the feature the number v under key k, a value of its own (an id: no feature
// shares it).
func (l *mvtLayer) unique(k int, v uint64) {
	l.tags = append(l.tags, uint32(k), l.addValue(appendVarintField(l.scratch[:0], valueUint, v)))
}

// num gives the feature the number v under key k: a whole non-negative number as uint, any other
// as double (ST_AsMVT writes bigint and numeric alike).
func (l *mvtLayer) num(k int, v float64) {
	i, ok := l.numIdx[v]
	if !ok {
		var b []byte
		if v >= 0 && v == math.Trunc(v) && v < 1<<53 {
			b = appendVarintField(l.scratch[:0], valueUint, uint64(v))
		} else {
			b = binary.LittleEndian.AppendUint64(appendKey(l.scratch[:0], valueDouble, wire64), math.Float64bits(v))
		}
		i = l.addValue(b)
		l.numIdx[v] = i
	}
	l.tags = append(l.tags, uint32(k), i)
}

func (l *mvtLayer) addValue(msg []byte) uint32 {
	l.values = appendBytesField(l.values, layerValues, msg)
	l.scratch = msg
	l.nValues++
	return l.nValues - 1
}

// distinct gives the feature the text v under key k as a value of its own, for texts that
// features seldom share (codes, names): looking them up would cost more than it saves.
func (l *mvtLayer) distinct(k int, v []byte) {
	l.tags = append(l.tags, uint32(k), l.addValue(appendBytesField(l.scratch[:0], valueString, v)))
}

// end adds the feature: its id and its polygon's geometry commands.
func (l *mvtLayer) end(id uint64, geom []uint32) {
	f := appendVarintField(l.scratch[:0], featureID, id)
	f = appendPacked(f, featureTags, l.tags)
	f = appendVarintField(f, featureType, typePolygon)
	f = appendPacked(f, featureGeom, geom)
	l.features = appendBytesField(l.features, layerFeatures, f)
	l.scratch = f
	l.nFeature++
}

// keep leaves only the features whose spans of features (offsets, as len(features) was before
// and after each was added) are listed, in order.
func (l *mvtLayer) keep(spans [][2]int) {
	out := l.features[:0]
	for _, s := range spans {
		out = append(out, l.features[s[0]:s[1]]...)
	}
	l.features, l.nFeature = out, len(spans)
}

// bytes returns the layer as a tile holding it, or nothing when it has no feature (ST_AsMVT's
// empty result, which makes an empty tile a 204).
func (l *mvtLayer) bytes() []byte {
	if l.nFeature == 0 {
		return nil
	}
	head := appendBytesField(appendVarintField(l.scratch[:0], layerVersion, 2), layerName, l.name)
	l.scratch = head
	var keys []byte
	for _, k := range l.keys {
		keys = appendBytesField(keys, layerKeys, k)
	}
	tail := appendVarintField(nil, layerExtent, extent)
	size := len(head) + len(l.features) + len(keys) + len(l.values) + len(tail)
	out := binary.AppendUvarint(appendKey(make([]byte, 0, size+11), tileLayers, wireBytes), uint64(size))
	for _, part := range [][]byte{head, l.features, keys, l.values, tail} {
		out = append(out, part...)
	}
	return out
}

func appendKey(b []byte, field, wire int) []byte {
	return binary.AppendUvarint(b, uint64(field<<3|wire))
}

func appendVarintField(b []byte, field int, v uint64) []byte {
	return binary.AppendUvarint(appendKey(b, field, wireVarint), v)
}

func appendBytesField[T string | []byte](b []byte, field int, v T) []byte {
	b = binary.AppendUvarint(appendKey(b, field, wireBytes), uint64(len(v)))
	return append(b, v...)
}

// appendPacked writes a packed repeated uint32 field.
func appendPacked(b []byte, field int, vs []uint32) []byte {
	n := 0
	for _, v := range vs {
		n += uvarintLen(uint64(v))
	}
	b = binary.AppendUvarint(appendKey(b, field, wireBytes), uint64(n))
	for _, v := range vs {
		b = binary.AppendUvarint(b, uint64(v))
	}
	return b
}

func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}
