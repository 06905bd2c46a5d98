"""Portal Satu Data Kabupaten Pasuruan."""
