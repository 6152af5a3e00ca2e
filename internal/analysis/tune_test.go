package analysis

import (
	"slices"
	"testing"
)

// receiptWithImages is an HTML receipt whose pictures sit in object
// storage (an ordinary CDN choice) while its one link goes to the sender.
func receiptWithImages(linkHost string) []byte {
	html := `<html><body>` +
		`<img src="https://shop-assets.s3.amazonaws.com/email/logo.png" alt="Example Shop">` +
		`<p>Thank you for your order. Amount paid: $30.00.</p>` +
		`<img src="https://shopmedia.blob.core.windows.net/email/footer.png" alt="">` +
		`<p><a href="https://` + linkHost + `/orders/1234">View your order</a></p></body></html>`
	return []byte("From: Example Shop <orders@shop.example.com>\r\nTo: reader@example.net\r\n" +
		"Subject: Your order 1234\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <r1@shop.example.com>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n")
}

// TestFreeHostingOnlyOnFollowedLinks: images displayed from object storage
// are not a free-hosting link; a link the reader follows to it still is.
func TestFreeHostingOnlyOnFollowedLinks(t *testing.T) {
	rep := Analyze(receiptWithImages("www.shop.example.com"), nil)
	if slices.Contains(ruleSet(rep), "url.free_hosting") {
		t.Errorf("url.free_hosting fired on displayed images: %v", rep.Findings)
	}
	rep = Analyze(receiptWithImages("shop-orders.s3.amazonaws.com"), nil)
	if !slices.Contains(ruleSet(rep), "url.free_hosting") {
		t.Errorf("url.free_hosting missing on a followed link to object storage: %v", ruleSet(rep))
	}
}
