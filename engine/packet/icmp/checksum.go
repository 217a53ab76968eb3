package icmp

// Sum is the plain sum of b's 16-bit big-endian words (an odd last
// byte padded with zero), carries kept above bit 15: the Internet
// checksum's first step (RFC 1071). Sums of parts of even length add up
// to the sum of the whole, so a pseudo-header is summed apart.
func Sum(b []byte) uint32 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	return sum
}

// Fold folds a sum's carries back into its low 16 bits, until none is
// left: the second step.
func Fold(sum uint32) uint16 {
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}

// Checksum returns the Internet checksum of b: the one's complement of
// its folded sum. A message whose checksum field is already filled in
// sums to 0xffff, and so has Checksum 0.
func Checksum(b []byte) uint16 { return ^Fold(Sum(b)) }
