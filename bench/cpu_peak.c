/*
 * The arithmetic ceiling of this CPU for the GEMM note (docs/performance.md, "The GEMM's ceiling"):
 * clock (a chain of dependent integer adds, one per cycle), throughput of 128-bit FMA, 128-bit
 * multiply + add, 256-bit FMA, and the FMA and add latencies, all per CPU second of this thread.
 *   gcc -O1 -march=native -o /tmp/cpu_peak bench/cpu_peak.c && /tmp/cpu_peak
 * x86-64 with AVX2/FMA only (with -march=native on an AVX-512 host, 512-bit FMA too). Not part
 * of the build or the tests.
 */
#include <stdio.h>
#include <time.h>
#include <stdint.h>
static double now(){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec+t.tv_nsec*1e-9;}
#define R 200000000L
int main(){
  double t0,t;
  // clock: dependent integer adds, 1 cycle each, 8 per iteration
  uint64_t x=0; t0=now();
  for(long i=0;i<R;i++){ __asm__ volatile("add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n add $1,%0\n":"+r"(x)); }
  t=now()-t0; double ghz=R*8/t/1e9; printf("clock (dependent add chain): %.2f GHz\n",ghz);
  // 128-bit FMA throughput: 10 independent accumulators
  t0=now();
  for(long i=0;i<R/4;i++){ __asm__ volatile(
   "vfmadd231ps %%xmm14,%%xmm15,%%xmm0\n vfmadd231ps %%xmm14,%%xmm15,%%xmm1\n vfmadd231ps %%xmm14,%%xmm15,%%xmm2\n vfmadd231ps %%xmm14,%%xmm15,%%xmm3\n vfmadd231ps %%xmm14,%%xmm15,%%xmm4\n"
   "vfmadd231ps %%xmm14,%%xmm15,%%xmm5\n vfmadd231ps %%xmm14,%%xmm15,%%xmm6\n vfmadd231ps %%xmm14,%%xmm15,%%xmm7\n vfmadd231ps %%xmm14,%%xmm15,%%xmm8\n vfmadd231ps %%xmm14,%%xmm15,%%xmm9\n":::"xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm6","xmm7","xmm8","xmm9"); }
  t=now()-t0; double f=(double)(R/4)*10*8/t/1e9; printf("128-bit FMA: %.1f GFLOP/s = %.2f FLOP/cycle = %.2f FMA/cycle\n",f,f/ghz,f/ghz/8);
  // 128-bit mul + add: 5 chains mul->tmp, add tmp into acc
  t0=now();
  for(long i=0;i<R/4;i++){ __asm__ volatile(
   "vmulps %%xmm14,%%xmm15,%%xmm10\n vaddps %%xmm10,%%xmm0,%%xmm0\n vmulps %%xmm14,%%xmm15,%%xmm11\n vaddps %%xmm11,%%xmm1,%%xmm1\n vmulps %%xmm14,%%xmm15,%%xmm12\n vaddps %%xmm12,%%xmm2,%%xmm2\n"
   "vmulps %%xmm14,%%xmm15,%%xmm13\n vaddps %%xmm13,%%xmm3,%%xmm3\n vmulps %%xmm14,%%xmm15,%%xmm10\n vaddps %%xmm10,%%xmm4,%%xmm4\n vmulps %%xmm14,%%xmm15,%%xmm11\n vaddps %%xmm11,%%xmm5,%%xmm5\n"
   "vmulps %%xmm14,%%xmm15,%%xmm12\n vaddps %%xmm12,%%xmm6,%%xmm6\n vmulps %%xmm14,%%xmm15,%%xmm13\n vaddps %%xmm13,%%xmm7,%%xmm7\n"
   :::"xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm6","xmm7","xmm10","xmm11","xmm12","xmm13"); }
  t=now()-t0; f=(double)(R/4)*8*8/t/1e9; printf("128-bit mul+add (non-destructive VEX): %.1f GFLOP/s = %.2f FLOP/cycle\n",f,f/ghz);

  // 256-bit FMA
  t0=now();
  for(long i=0;i<R/4;i++){ __asm__ volatile(
   "vfmadd231ps %%ymm14,%%ymm15,%%ymm0\n vfmadd231ps %%ymm14,%%ymm15,%%ymm1\n vfmadd231ps %%ymm14,%%ymm15,%%ymm2\n vfmadd231ps %%ymm14,%%ymm15,%%ymm3\n vfmadd231ps %%ymm14,%%ymm15,%%ymm4\n"
   "vfmadd231ps %%ymm14,%%ymm15,%%ymm5\n vfmadd231ps %%ymm14,%%ymm15,%%ymm6\n vfmadd231ps %%ymm14,%%ymm15,%%ymm7\n vfmadd231ps %%ymm14,%%ymm15,%%ymm8\n vfmadd231ps %%ymm14,%%ymm15,%%ymm9\n":::"xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm6","xmm7","xmm8","xmm9"); }
  t=now()-t0; f=(double)(R/4)*10*16/t/1e9; printf("256-bit FMA: %.1f GFLOP/s = %.2f FLOP/cycle\n",f,f/ghz);
#ifdef __AVX512F__
  // 512-bit FMA (AVX-512 hosts: what a native library such as oneDNN can use and wasm SIMD cannot)
  t0=now();
  for(long i=0;i<R/4;i++){ __asm__ volatile(
   "vfmadd231ps %%zmm14,%%zmm15,%%zmm0\n vfmadd231ps %%zmm14,%%zmm15,%%zmm1\n vfmadd231ps %%zmm14,%%zmm15,%%zmm2\n vfmadd231ps %%zmm14,%%zmm15,%%zmm3\n vfmadd231ps %%zmm14,%%zmm15,%%zmm4\n"
   "vfmadd231ps %%zmm14,%%zmm15,%%zmm5\n vfmadd231ps %%zmm14,%%zmm15,%%zmm6\n vfmadd231ps %%zmm14,%%zmm15,%%zmm7\n vfmadd231ps %%zmm14,%%zmm15,%%zmm8\n vfmadd231ps %%zmm14,%%zmm15,%%zmm9\n":::"xmm0","xmm1","xmm2","xmm3","xmm4","xmm5","xmm6","xmm7","xmm8","xmm9"); }
  t=now()-t0; f=(double)(R/4)*10*32/t/1e9; printf("512-bit FMA: %.1f GFLOP/s = %.2f FLOP/cycle\n",f,f/ghz);
#endif
  // FMA latency
  t0=now();
  for(long i=0;i<R/4;i++){ __asm__ volatile("vfmadd231ps %%xmm14,%%xmm15,%%xmm0\n vfmadd231ps %%xmm14,%%xmm15,%%xmm0\n vfmadd231ps %%xmm14,%%xmm15,%%xmm0\n vfmadd231ps %%xmm14,%%xmm15,%%xmm0\n":::"xmm0"); }
  t=now()-t0; printf("FMA latency: %.2f cycles\n",t*ghz*1e9/((double)(R/4)*4));
  t0=now();
  for(long i=0;i<R/4;i++){ __asm__ volatile("vaddps %%xmm14,%%xmm0,%%xmm0\n vaddps %%xmm14,%%xmm0,%%xmm0\n vaddps %%xmm14,%%xmm0,%%xmm0\n vaddps %%xmm14,%%xmm0,%%xmm0\n":::"xmm0"); }
  t=now()-t0; printf("add latency: %.2f cycles\n",t*ghz*1e9/((double)(R/4)*4));
  return 0;
}
