package main
import ("fmt";"os";"time";"runtime/pprof";"github.com/triage-tools/triage/store")
func main(){
 f,_:=os.Create("/tmp/rows.prof"); pprof.StartCPUProfile(f)
 t:=time.Now()
 st,err:=store.Open(os.Args[1], store.Options{ReadOnly:true}); if err!=nil{panic(err)}
 t1:=time.Now()
 fp,_,_:=st.Fingerprint(os.Args[2])
 ids,_:=st.SourceIDs(fp.Path)
 t2:=time.Now()
 n:=0
 for i:=0;i<len(ids);i+=512 { rows,_:=st.RowsFor(ids[i:min(i+512,len(ids))]); n+=len(rows) }
 t3:=time.Now()
 all,_:=st.Rows()
 t4:=time.Now()
 pprof.StopCPUProfile()
 fmt.Println("open",t1.Sub(t),"ids",len(ids),t2.Sub(t1),"rowsfor",n,t3.Sub(t2),"rows",len(all),t4.Sub(t3))
}
