enum TestSupportFixtures {}
