package io.wmstream.model.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Real-looking task-oriented dialogue utterances (hotels, restaurants, trains, taxis, coffee), generated from
 * templates and slot values with a fixed seed, so benchmarks and tests need no data set.
 */
public final class SampleUtterances {
    private static final String[] USER = {
        "I need a {price} hotel in the {area} with free {amenity}.",
        "Can you book a table for {people} people at {time} on {day}?",
        "I'm looking for a {food} restaurant in the {area} of town.",
        "Is there a train from {city} to {city2} on {day} leaving after {time}?",
        "Please book a taxi from {place} to the {place2} at {time}.",
        "What is the phone number and postcode of {name}?",
        "I'd like a {size} {drink} with {milk} milk, please.",
        "Actually, make that {people} people and {day} instead.",
        "Does the {place} have {amenity}? We'll arrive around {time}.",
        "No, that's all. Thanks for your help, goodbye!",
        "How much is a ticket to {city2}? I don't want to pay more than £{money}.",
        "Could you recommend something {price} near the {place}?",
        "Yes please, book it for {people} nights starting {day}.",
        "hi, i want a cheap place to stay in the {area}",
        "Can I get the reference number? Also, what time does it arrive in {city2}?",
    };
    private static final String[] SYSTEM = {
        "I have {number} {price} hotels in the {area}. Do you have a preference?",
        "Your table is booked for {people} at {time} on {day}. Reference: {ref}.",
        "{name} is a {food} restaurant in the {area}. Would you like to book?",
        "Train {train} leaves {city} at {time} and arrives in {city2} at {time2}.",
        "A {car} will pick you up at {time}; the contact number is {phone}.",
        "Sure, a {size} {drink} with {milk} milk. Anything else?",
        "The price is £{money} per person. Shall I book it?",
        "Is there anything else I can help you with today?",
    };
    private static final String[][] SLOTS = {
        {"price", "cheap", "moderate", "expensive", "moderately priced"},
        {"area", "north", "south", "east", "west", "centre"},
        {"amenity", "parking", "wifi", "breakfast", "internet"},
        {"people", "1", "2", "3", "4", "5", "6", "8"},
        {"time", "09:15", "10:30", "12:00", "13:45", "17:45", "19:30", "20:15"},
        {"time2", "10:08", "11:52", "14:07", "21:23"},
        {"day", "monday", "Tuesday", "wednesday", "Thursday", "friday", "Saturday", "sunday"},
        {"food", "italian", "Chinese", "indian", "british", "thai", "european", "mexican"},
        {"city", "cambridge", "London Kings Cross", "ely", "norwich", "peterborough", "stansted airport"},
        {"city2", "cambridge", "london liverpool street", "Ely", "bishops stortford", "leicester"},
        {"place", "Acorn Guest House", "cinema", "museum", "Pizza Hut", "hotel", "college", "station"},
        {"place2", "train station", "restaurant", "hospital", "airport", "hotel"},
        {"name", "Golden Wok", "the Varsity", "Alexander B&B", "Cote", "the Missing Sock", "Curry Garden"},
        {"size", "small", "medium", "large", "grande", "tall"},
        {"drink", "latte", "cappuccino", "americano", "flat white", "mocha", "cold brew"},
        {"milk", "oat", "almond", "whole", "skim", "soy"},
        {"money", "10.10", "12.50", "23.60", "37.80", "99"},
        {"number", "2", "3", "5", "9", "14"},
        {"ref", "AB12CD34", "7GAWK763", "N8WLZ2KQ", "QQ48TR00"},
        {"train", "TR1234", "TR7075", "TR3257", "TR9017"},
        {"car", "black Toyota", "white Skoda", "red Volvo", "blue Tesla"},
        {"phone", "07218068540", "01223 351880", "0123 456 789"},
    };

    private SampleUtterances() {
    }

    /** {@code count} utterances, alternating mostly user and some system turns, as (speaker, text). */
    public static List<String[]> generate(int count, long seed) {
        Random random = new Random(seed);
        List<String[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean user = random.nextInt(4) != 0;
            String template = user ? USER[random.nextInt(USER.length)] : SYSTEM[random.nextInt(SYSTEM.length)];
            String text = fill(template, random);
            if (random.nextInt(10) == 0) {
                text = text + " " + fill(USER[random.nextInt(USER.length)], random);
            }
            out.add(new String[] {user ? "user" : "assistant", text});
        }
        return out;
    }

    /** A long utterance of about {@code sentences} sentences. */
    public static String longText(int sentences, long seed) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            text.append(i == 0 ? "" : " ").append(fill(USER[random.nextInt(USER.length)], random));
        }
        return text.toString();
    }

    private static String fill(String template, Random random) {
        String text = template;
        for (String[] slot : SLOTS) {
            String key = "{" + slot[0] + "}";
            while (text.contains(key)) {
                text = text.replaceFirst(java.util.regex.Pattern.quote(key), slot[1 + random.nextInt(slot.length - 1)]);
            }
        }
        return text;
    }
}
