package main
import ("encoding/json";"fmt";"io";"os";"github.com/klauspost/compress/zstd";"github.com/triage-tools/triage/internal/analysis";"github.com/triage-tools/triage/internal/mailbox")
func main(){
 rd,_:=mailbox.Open(os.Args[1])
 enc,_:=zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
 var a,b,c,d,n int
 cfg:=&analysis.Config{}
 for { m,err:=rd.Next(); if err==io.EOF{break}; r:=analysis.Analyze(m.Raw,cfg); r.Headers=nil
  js,_:=json.Marshal(r); a+=len(enc.EncodeAll(js,nil))
  for i:=range r.Hops { r.Hops[i].Raw="" }
  js,_=json.Marshal(r); b+=len(enc.EncodeAll(js,nil))
  for i:=range r.URLs { if r.URLs[i].Raw==r.URLs[i].URL { r.URLs[i].Raw="" }; r.URLs[i].Defanged="" }
  js,_=json.Marshal(r); c+=len(enc.EncodeAll(js,nil))
  for i:=range r.Findings { r.Findings[i].Evidence="" }
  js,_=json.Marshal(r); d+=len(enc.EncodeAll(js,nil))
  n++ }
 fmt.Printf("n=%d base %d, -hopraw %d, -urldup %d, -evidence %d (avg bytes)\n", n, a/n, b/n, c/n, d/n)
}
