# /health latency percentiles per service, from summarize.py's health-latency.dat (ms, log scale).
# Run in the results directory: gnuplot -e "outfile='health-latency.png'" health-latency.gp
if (!exists("outfile")) outfile = 'health-latency.png'
if (!exists("duration")) duration = '15s'
set terminal pngcairo size 960,560 font "DejaVu Sans,11"
set output outfile
set title sprintf("/health latency under load (wrk -t2 -c64 -d%s), lower is better", duration)
set xlabel "percentile"
set ylabel "latency (ms, log scale)"
set logscale y
set grid ytics mytics xtics
set key top left
set style data linespoints
N = int(system("head -n 1 health-latency.dat | awk -F'\"' '{print (NF-1)/2}'"))
plot for [i=2:N+1] 'health-latency.dat' using 0:i:xtic(1) title columnheader(i) lw 2 pt 7
