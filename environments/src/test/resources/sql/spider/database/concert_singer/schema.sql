PRAGMA foreign_keys = ON;
CREATE TABLE "stadium" (
"Stadium_ID" int,
"Location" text,
"Name" text,
"Capacity" int,
PRIMARY KEY ("Stadium_ID")
);
CREATE TABLE "singer" (
"Singer_ID" int,
"Name" text,
"Country" text,
"Age" int,
"Stadium_ID" int,
PRIMARY KEY ("Singer_ID"),
FOREIGN KEY ("Stadium_ID") REFERENCES "stadium"("Stadium_ID")
);
INSERT INTO "stadium" VALUES (1, 'Raith Rovers', 'Stark''s Park', 10104);
INSERT INTO "stadium" VALUES (2, 'Ayr United', 'Somerset Park', 11998);
INSERT INTO "stadium" VALUES (3, 'East Fife', 'Bayview Stadium', 2000);
INSERT INTO "singer" VALUES (1, 'Joe Sharp', 'Netherlands', 52, 1);
INSERT INTO "singer" VALUES (2, 'Timbaland', 'United States', 32, 2);
INSERT INTO "singer" VALUES (3, 'Justin Brown', 'France', 29, 3);
INSERT INTO "singer" VALUES (4, 'Rose White', 'France', 41, 1);
