CREATE TABLE schools (CDSCode TEXT NOT NULL PRIMARY KEY, School TEXT);
CREATE TABLE frpm (
    CDSCode TEXT NOT NULL PRIMARY KEY,
    `County Name` TEXT,
    `Enrollment (K-12)` REAL,
    `Free Meal Count (K-12)` REAL,
    `Charter School (Y/N)` INTEGER,
    FOREIGN KEY (CDSCode) REFERENCES schools (CDSCode)
);
INSERT INTO schools VALUES ('01100170109835', 'FAME Public Charter'), ('01100170112607', 'Envision Academy'),
    ('10101080109991', 'Fresno Charter Prep'), ('10101080111682', 'Fresno High'), ('01316170131763', 'Oakland Hills');
INSERT INTO frpm VALUES ('01100170109835', 'Alameda', 1087, 565, 1), ('01100170112607', 'Alameda', 395, 186, 1),
    ('10101080109991', 'Fresno', 610, 480, 1), ('10101080111682', 'Fresno', 2400, 1900, 0),
    ('01316170131763', 'Alameda', 300, NULL, 0);
