"""Fits the quality model (station/src/checks/quality/model.rs) from our measures and NIST scores.
Inputs: /tmp/g/nist.txt (nfiq2.sh output on the degraded PNGs written by the quality_make_degraded
tool) and /tmp/g/ours.jsonl (quality_dump tool on the same PNGs plus the five references).
Plain Python, no numpy. Run: python3 fit_model.py; paste the printed constants into model.rs."""
import json, math, os, sys
nist={}
for l in open('/tmp/g/nist.txt'):
    p,s=l.split()[:2]; nist[os.path.basename(p).rsplit('.',1)[0]]=int(s)
for i,s in zip(range(1,6),[54,45,53,52,57]): nist[f'SFinGe_Test0{i}']=s
rows=[]
for l in open('/tmp/g/ours.jsonl'):
    o=json.loads(l); name=os.path.basename(o['path']).rsplit('.',1)[0]
    rows.append((name,o['report']['measures'],nist[name]))
def feats(m):
    lcs_n=max(1,sum(m['lcs']['bins'])); ocl_n=max(1,sum(m['ocl']['bins'])); fda_n=max(1,sum(m['fda']['bins']))
    return [
        m['ocl']['mean'], m['lcs']['mean'], m['fda']['mean'], m['rvup']['mean'], m['rvup']['std_dev'], m['of']['mean'],
        math.log1p(m['minutiae_count']), math.log1p(m['minutiae_centre_count']), m['coherence_rel'],
        m['foreground_pixels']/1e5, m['mean']/255, m['minutiae_quality_ocl'], m['lcs']['bins'][9]/lcs_n,
        m['ocl']['bins'][9]/ocl_n, m['fda']['bins'][8]/fda_n, m['std_dev']/100,
    ]
NAMES=['ocl_mean','lcs_mean','fda_mean','rvup_mean','rvup_sd','of_mean','ln_minutiae','ln_centre','coh_rel','fg_1e5','mu','minq_ocl','lcs_top','ocl_top','fda_top','sigma']
TRAIN=('SFinGe_Test01','SFinGe_Test02','SFinGe_Test03')
def blocking(m):
    return m['std_dev']<1 or m['mean']>250 or m['cropped_width']<197 or m['cropped_height']<197 or (m['minutiae_count']<5)
train=[r for r in rows if r[0].split('__')[0] in TRAIN]
held=[r for r in rows if r[0].split('__')[0] not in TRAIN]
def solve(A,b):
    n=len(A); M=[A[i][:]+[b[i]] for i in range(n)]
    for c in range(n):
        p=max(range(c,n),key=lambda r:abs(M[r][c])); M[c],M[p]=M[p],M[c]
        for r in range(n):
            if r!=c:
                f=M[r][c]/M[c][c]
                for k in range(c,n+1): M[r][k]-=f*M[c][k]
    return [M[i][n]/M[i][i] for i in range(n)]
def fit(data, lam, sel, w_fn=lambda y:1.0):
    X=[[1.0]+[feats(m)[i] for i in sel] for _,m,_ in data]; Y=[y for _,_,y in data]
    W=[w_fn(y) for y in Y]
    k=len(X[0]); A=[[sum(W[r]*X[r][i]*X[r][j] for r in range(len(X)))+(lam if i==j and i>0 else 0) for j in range(k)] for i in range(k)]
    b=[sum(W[r]*X[r][i]*Y[r] for r in range(len(X))) for i in range(k)]
    return solve(A,b)
def predict(w,sel,m):
    if blocking(m): return 0
    x=[1.0]+[feats(m)[i] for i in sel]
    return max(0,min(100,round(sum(a*b for a,b in zip(w,x)))))
def evaluate(w,sel,data,thr=40):
    agree=sum((predict(w,sel,m)>=thr)==(y>=thr) for _,m,y in data)
    mae=sum(abs(predict(w,sel,m)-y) for _,m,y in data)/len(data)
    return agree/len(data), mae
if False:  # earlier linear trial
    sel=list(range(len(NAMES)))
    for lam in [0.01,0.1,1,10]:
        w=fit(train,lam,sel)
        print(lam,'train',evaluate(w,sel,train),'held',evaluate(w,sel,held),'refs',[ (n,predict(w,sel,m),y) for n,m,y in rows if '__' not in n])

def show(w,sel,data):
    for n,m,y in data:
        p=predict(w,sel,m)
        if (p>=40)!=(y>=40):
            f=feats(m)
            print(f'{n:45} nist {y:3} ours {p:3} mc {m["minutiae_count"]:3} fg {m["foreground_pixels"]:6} ocl {f[0]:.2f} lcs {f[1]:.2f} fda {f[2]:.2f} of {f[5]:.2f} coh {f[8]:.2f} mu {m["mean"]:.0f} sd {m["std_dev"]:.0f} wh {m["cropped_width"]}x{m["cropped_height"]}')
def stumps_fit(data, rounds, lr, minleaf):
    X=[feats(m) for _,m,_ in data]; Y=[float(y) for *_,y in data]
    base=sum(Y)/len(Y); pred=[base]*len(Y); model=[]
    nf=len(X[0])
    for _ in range(rounds):
        res=[y-p for y,p in zip(Y,pred)]
        best=None
        for f in range(nf):
            order=sorted(range(len(X)),key=lambda i:X[i][f])
            tot=sum(res); n=len(order); ls=0.0
            for k in range(minleaf-1,n-minleaf):
                ls+=res[order[k]] if k>=0 else 0
            # recompute properly
            ls=0.0
            for k in range(n-1):
                ls+=res[order[k]]
                if k+1<minleaf or n-k-1<minleaf: continue
                a=X[order[k]][f]; b=X[order[k+1]][f]
                if a==b: continue
                gain=ls*ls/(k+1)+(tot-ls)**2/(n-k-1)
                if best is None or gain>best[0]: best=(gain,f,(a+b)/2,ls/(k+1),(tot-ls)/(n-k-1))
        _,f,t,lv,rv=best
        model.append((f,t,lr*lv,lr*rv))
        pred=[p+(lr*lv if x[f]<t else lr*rv) for p,x in zip(pred,X)]
    return base,model
def stumps_predict(bm,m):
    if blocking(m): return 0
    base,model=bm; x=feats(m)
    s=base+sum(lv if x[f]<t else rv for f,t,lv,rv in model)
    return max(0,min(100,round(s)))
def ev(bm,data,thr=40):
    ag=sum((stumps_predict(bm,m)>=thr)==(y>=thr) for _,m,y in data); mae=sum(abs(stumps_predict(bm,m)-y) for _,m,y in data)/len(data)
    return round(ag/len(data),3),round(mae,1)
if False:  # earlier linear trial
    for rounds,lr,ml in [(60,0.1,5),(100,0.1,5),(150,0.1,4),(100,0.2,6),(200,0.05,5)]:
        bm=stumps_fit(train,rounds,lr,ml)
        print(rounds,lr,ml,'train',ev(bm,train),'held',ev(bm,held),[(n[-2:],stumps_predict(bm,m),y) for n,m,y in rows if '__' not in n])

def miss(bm,data):
    for n,m,y in data:
        p=stumps_predict(bm,m)
        if (p>=40)!=(y>=40): print('  miss',n,'nist',y,'ours',p,'mc',m['minutiae_count'],'sd %.0f'%m['std_dev'])

def sim_rows():
    """Simulator impressions (firmware_sim::synth::fingerprint, Finger::from_seed(1000 + s),
    Impression::from_seed(1000 + s, n), s = 0..20: n = 0..3 at 256 x 288, n = 7 at 416 x 560), scored
    by NFIQ 2 (sim_nfiq2.csv) and by us (/tmp/g/sim_ours.jsonl, quality_dump tool)."""
    here = os.path.dirname(os.path.abspath(__file__))
    nist = {l.split(',')[0]: int(l.split(',')[1]) for l in open(os.path.join(here, 'sim_nfiq2.csv')) if l.startswith('sim-')}
    out = []
    for l in open('/tmp/g/sim_ours.jsonl'):
        o = json.loads(l); n = os.path.basename(o['path']).rsplit('.', 1)[0]
        out.append((n, o['report']['measures'], nist[n]))
    return out

if __name__ == '__main__':
    sim = sim_rows()
    simtr = [r for r in sim if int(r[0].split('-')[1]) < 14]
    simhe = [r for r in sim if int(r[0].split('-')[1]) >= 14]
    names = sorted(set(n.split('__')[1] for n, _, _ in rows if '__' in n))
    hold = set(names[1::3])
    tr2 = [r for r in rows if '__' not in r[0] or r[0].split('__')[1] not in hold]
    he2 = [r for r in rows if '__' in r[0] and r[0].split('__')[1] in hold]
    bm = stumps_fit(tr2 + simtr, 100, 0.1, 5)
    print('train', ev(bm, tr2 + simtr), 'held-out degraded', ev(bm, he2), 'held-out simulator', ev(bm, simhe))
    base, model = bm
    print(f"const BASE: f64 = {base!r};")
    print(f"const STUMPS: [(usize, f64, f64, f64); {len(model)}] = [")
    for f, t, l, r in model:
        print(f"    ({f}, {t!r}, {l!r}, {r!r}),")
    print("];")
