// Stand-in for a compressor in tests. Implemented fully by the engines work.
return 0;
