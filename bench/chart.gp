# gnuplot -e "dat='X.dat'; png='X.png'" bench/chart.gp
set terminal pngcairo size 960,480 font ",10"
set output png
set title "each init against the best of tini-static, tini, dumb-init and catatonit (below 1: better than all four; size: of the static ones)"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set logscale y 2
set yrange [0.05:8]
set ylabel "× best of today's inits (log scale)"
set grid ytics
set key top left
set xtics rotate by -20
plot dat using 2:xtic(1) title "reaper" lc rgb "#1b7837", \
     "" using 3 title "tini-static" lc rgb "#9970ab", \
     "" using 4 title "tini" lc rgb "#c2a5cf", \
     "" using 5 title "dumb-init" lc rgb "#f4a582", \
     "" using 6 title "catatonit" lc rgb "#92c5de", \
     1 notitle with lines lc rgb "black" dt 2
